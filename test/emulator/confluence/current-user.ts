import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { USERS } from '../users.ts';

/**
 * `GET /wiki/rest/api/user/current` (v1 getCurrentUser): the account the access token acts for,
 * i.e. the one that consented. Only the fields of the spec's `User` that the gateway reads, plus
 * the few every answer carries.
 */
export function getCurrentUser(c: Context<EmulatorEnv>) {
  const { accountId } = c.get('family');
  const user = Object.values(USERS).find((candidate) => candidate.accountId === accountId);
  const site = c.get('site');
  return c.json({
    type: 'known',
    accountId,
    accountType: 'atlassian',
    publicName: user?.displayName ?? accountId,
    displayName: user?.displayName ?? accountId,
    profilePicture: {
      path: '/wiki/aa-avatar/default.png',
      width: 48,
      height: 48,
      isDefault: true,
    },
    _links: {
      self: `${site.url}/wiki/rest/api/user?accountId=${encodeURIComponent(accountId)}`,
      base: `${site.url}/wiki`,
    },
  });
}
