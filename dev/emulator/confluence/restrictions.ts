/**
 * v1 page restrictions (`/wiki/rest/api/content/{id}/restriction/byOperation…`): v2 has none. A read
 * restriction also decides who sees the page (its `viewers`), as in Confluence.
 */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { ACCOUNTS, CURRENT_USER } from '../users.ts';
import type { ContentStore, PageRecord, RestrictionRecord } from './content-store.ts';
import { v1Error } from './errors.ts';

/** The groups of the emulated site. */
export const GROUPS = [
  { name: 'confluence-users', id: 'a1b2c3d4-0000-4000-8000-000000000001' },
  { name: 'engineering', id: 'a1b2c3d4-0000-4000-8000-000000000002' },
];

const OPERATIONS = ['read', 'update'] as const;
type Operation = (typeof OPERATIONS)[number];

function restrictionsOf(store: ContentStore, page: PageRecord) {
  let found = store.restrictions.get(page.id);
  if (!found) {
    found = {
      read: { users: page.viewers ? [...page.viewers] : [], groups: [] },
      update: { users: [], groups: [] },
    };
    store.restrictions.set(page.id, found);
  }
  return found;
}

function operationJson(
  store: ContentStore,
  page: PageRecord,
  operation: Operation,
  record: RestrictionRecord,
) {
  const users = record.users.map((accountId) => {
    const account = ACCOUNTS.find((a) => a.accountId === accountId);
    return {
      type: 'known',
      accountId,
      accountType: account?.accountType ?? 'atlassian',
      email: account?.email ?? '',
      publicName: account?.displayName ?? accountId,
      displayName: account?.displayName ?? null,
    };
  });
  const groups = record.groups.map((name) => ({
    type: 'group',
    name,
    id: GROUPS.find((g) => g.name === name)?.id ?? null,
  }));
  const base = `${store.baseUrl}/rest/api/content/${page.id}/restriction/byOperation/${operation}`;
  return {
    operation,
    restrictions: {
      user: { results: users, start: 0, limit: 100, size: users.length },
      group: { results: groups, start: 0, limit: 100, size: groups.length },
    },
    _expandable: { content: `/rest/api/content/${page.id}` },
    _links: { self: base },
  };
}

/** The page the path names, visible to the caller; or the 404 answer. */
function restrictedPage(c: Context<EmulatorEnv>): PageRecord | Response {
  const page = c.get('store').visiblePage(c.req.param('id') ?? '', CURRENT_USER.accountId);
  return page && (page.type === 'page' || page.type === 'blogpost') && page.status !== 'trashed'
    ? page
    : v1Error(c, 404, 'No content found with the given id');
}

/** `GET …/restriction/byOperation`: `{read: ContentRestriction, update: ContentRestriction, _links}`. */
export function getRestrictions(c: Context<EmulatorEnv>) {
  const page = restrictedPage(c);
  if (page instanceof Response) return page;
  const store = c.get('store');
  const found = restrictionsOf(store, page);
  return c.json({
    read: operationJson(store, page, 'read', found.read),
    update: operationJson(store, page, 'update', found.update),
    _links: { base: store.baseUrl, context: '/wiki' },
  });
}

/** PUT / DELETE `…/byOperation/{operationKey}/user?accountId=` and `…/group/{groupName}`: 200, empty. */
export const changeRestriction =
  (who: 'user' | 'group', change: 'add' | 'remove') => (c: Context<EmulatorEnv>) => {
    const operation = c.req.param('operationKey') as Operation;
    if (!OPERATIONS.includes(operation)) return v1Error(c, 404, `Unknown operation ${operation}`);
    const page = restrictedPage(c);
    if (page instanceof Response) return page;
    let subject: string;
    if (who === 'user') {
      const accountId = c.req.query('accountId');
      if (!accountId) return v1Error(c, 400, 'An accountId is required');
      if (!ACCOUNTS.some((a) => a.accountId === accountId))
        return v1Error(c, 400, `Provided restrictions are invalid: no user ${accountId}`);
      subject = accountId;
    } else {
      subject = decodeURIComponent(c.req.param('groupName') ?? '');
      if (!GROUPS.some((g) => g.name === subject)) return v1Error(c, 404, `No group ${subject}`);
    }
    const store = c.get('store');
    const record = restrictionsOf(store, page)[operation];
    const list = who === 'user' ? record.users : record.groups;
    const at = list.indexOf(subject);
    if (change === 'add' && at === -1) list.push(subject);
    if (change === 'remove' && at !== -1) list.splice(at, 1);
    if (operation === 'read') {
      const everyone = record.users.length === 0 && record.groups.length === 0;
      // Group members are not modelled: a group restriction lets the current user keep reading.
      page.viewers = everyone
        ? undefined
        : [...record.users, ...(record.groups.length ? [CURRENT_USER.accountId] : [])];
    }
    store.touch();
    return c.body(null, 200);
  };
