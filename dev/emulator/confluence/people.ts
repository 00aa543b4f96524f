import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { ACCOUNTS, type Account, CURRENT_USER } from '../users.ts';
import { v1Error, v2BadParameter } from './errors.ts';
import { readWriteRequest } from './write-body.ts';

const picture = (account: Account) => ({
  path: `/wiki/aa-avatar/${account.accountId}`,
  width: 48,
  height: 48,
  isDefault: true,
});

/** v1 User: `email` only when the profile shows it. */
function v1User(account: Account) {
  return {
    type: 'known',
    accountId: account.accountId,
    accountType: account.accountType,
    email: account.email ?? null,
    publicName: account.displayName,
    displayName: account.displayName,
    timeZone: 'Europe/London',
    isExternalCollaborator: false,
    profilePicture: picture(account),
    _links: { self: `/wiki/rest/api/user?accountId=${account.accountId}` },
  };
}

/** v1 `GET /wiki/rest/api/user/current`: the account the access token acts for (the one that consented). */
export function currentUser(c: Context<EmulatorEnv>) {
  const { accountId } = c.get('family');
  return c.json(v1User(ACCOUNTS.find((account) => account.accountId === accountId) ?? CURRENT_USER));
}

/**
 * v1 `GET /wiki/rest/api/search/user?cql=`: the user CQL Atlassian documents: `user.fullname ~ "jo"`
 * (name or visible email containing it), `user = "id"`, `user.accountid = "id"`, `user in ("a","b")`,
 * `type = user`. Anything else: 400.
 */
export function searchUsers(c: Context<EmulatorEnv>) {
  const cql = c.req.query('cql');
  if (!cql) return v1Error(c, 400, 'cql is required');
  const rawLimit = c.req.query('limit') ?? '25';
  const rawStart = c.req.query('start') ?? '0';
  if (!/^\d+$/.test(rawLimit) || !/^\d+$/.test(rawStart))
    return v1Error(c, 400, 'start and limit must be integers');
  const matches = userFilter(cql.trim());
  if (!matches) return v1Error(c, 400, `Could not parse cql : ${cql}`);
  const limit = Math.min(Number(rawLimit), 1000);
  const start = Number(rawStart);
  const found = ACCOUNTS.filter(matches);
  const page = found.slice(start, start + limit);
  const base = c.get('store').baseUrl;
  return c.json({
    results: page.map((account) => ({
      user: v1User(account),
      title: account.displayName,
      excerpt: '',
      url: `/people/${account.accountId}`,
      breadcrumbs: [],
      entityType: 'user',
      iconCssClass: 'aui-icon content-type-profile',
      lastModified: '2026-01-01T09:00:00.000Z',
      score: 0,
    })),
    start,
    limit,
    size: page.length,
    totalSize: found.length,
    cqlQuery: cql,
    searchDuration: 3,
    _links: { base, context: '/wiki' },
  });
}

const unquote = (s: string) => s.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');

function userFilter(cql: string): ((account: Account) => boolean) | undefined {
  if (/^type\s*=\s*"?user"?$/i.test(cql)) return () => true;
  const fullname = /^user\.fullname\s*~\s*("(?:[^"\\]|\\.)*"|\S+)$/i.exec(cql);
  if (fullname) {
    const needle = unquote(fullname[1] as string).toLowerCase();
    return (a) => a.displayName.toLowerCase().includes(needle) || !!a.email?.toLowerCase().includes(needle);
  }
  const one = /^user(?:\.accountid)?\s*=\s*("(?:[^"\\]|\\.)*"|\S+)$/i.exec(cql);
  if (one) return (a) => a.accountId === unquote(one[1] as string);
  const many = /^user(?:\.accountid)?\s+in\s*\(([^)]*)\)$/i.exec(cql);
  if (many) {
    const ids = (many[1] as string).split(',').map((s) => unquote(s.trim()));
    return (a) => ids.includes(a.accountId);
  }
  return undefined;
}

/** v2 `POST /users-bulk {accountIds}`: the accounts that exist, in the order asked. */
export function usersBulk(c: Context<EmulatorEnv>) {
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const ids = request.accountIds;
  if (!Array.isArray(ids) || !ids.length || ids.length > 250 || ids.some((id) => typeof id !== 'string')) {
    return v2BadParameter(c, 'accountIds must be a list of 1 to 250 account ids');
  }
  const results = ids
    .map((id) => ACCOUNTS.find((a) => a.accountId === id))
    .filter((a): a is Account => a !== undefined)
    .map((account) => ({
      accountId: account.accountId,
      accountType: account.accountType,
      accountStatus: 'active',
      displayName: account.displayName,
      publicName: account.displayName,
      ...(account.email && { email: account.email }),
      timeZone: 'Europe/London',
      isExternalCollaborator: false,
      profilePicture: { path: picture(account).path, isDefault: true },
    }));
  return c.json({ results, _links: { base: c.get('store').baseUrl } });
}
