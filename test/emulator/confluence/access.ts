import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { bearerToken } from '../oauth/accessible-resources.ts';
import type { EmulatorState } from '../state.ts';
import { gatewayError } from './errors.ts';

/**
 * What api.atlassian.com checks before Confluence sees a call: a live access token (401), a
 * Confluence site with that cloud id (404), a consent covering the site (401), and one of the
 * operation's scopes (401 "scope does not match").
 */
export function requireAccess(
  state: EmulatorState,
  scopes: readonly string[],
): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const family = state.grants.familyOfAccessToken(bearerToken(c.req.header('authorization')));
    if (!family) return gatewayError(c, 401, 'Unauthorized');
    const site = state.site(c.req.param('cloudId') ?? '');
    if (site?.product !== 'confluence') return gatewayError(c, 404, 'Not Found');
    if (!family.cloudIds.includes(site.id)) return gatewayError(c, 401, 'Unauthorized');
    if (!scopes.some((scope) => family.scopes.includes(scope))) {
      return gatewayError(c, 401, 'Unauthorized; scope does not match');
    }
    c.set('site', site);
    c.set('family', family);
    c.set('store', state.content(site));
    c.set('now', state.clock.nowIso());
    await next();
  };
}
