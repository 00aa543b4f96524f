import type { ConfluenceApi } from './api.ts';
import type { V1User } from './types.ts';

/**
 * Page restrictions (REST v1 `/wiki/rest/api/content/{id}/restriction/byOperation…`): v2 has none,
 * and Atlassian is retiring v1 from the OAuth gateway, so a 410 becomes `upstream_gone`.
 */

export type RestrictedOperation = 'read' | 'update';

interface OperationRestrictions {
  restrictions?: {
    user?: { results?: V1User[] };
    group?: { results?: Array<{ name: string; id?: string | null }> };
  };
}

export type Restrictions = Partial<Record<RestrictedOperation, OperationRestrictions>>;

/** Who a restriction names: an account or a group. */
export type Subject = { accountId: string } | { groupName: string };

const missing = (pageId: string) =>
  `Page ${pageId} does not exist or the connected user may not view it. Find page ids with search_confluence_pages.`;

export function getRestrictions(confluence: ConfluenceApi, pageId: string) {
  return confluence.request<Restrictions>({
    method: 'GET',
    path: `/wiki/rest/api/content/${pageId}/restriction/byOperation`,
    within: { pageId },
    scope: 'read:confluence-content.all',
    notFound: missing(pageId),
  });
}

/** Adds (PUT) or removes (DELETE) one user or group from a page's read or update restriction. */
export function changeRestriction(
  confluence: ConfluenceApi,
  method: 'PUT' | 'DELETE',
  pageId: string,
  operation: RestrictedOperation,
  subject: Subject,
) {
  const base = `/wiki/rest/api/content/${pageId}/restriction/byOperation/${operation}`;
  return confluence.request<undefined>({
    method,
    ...('accountId' in subject
      ? { path: `${base}/user`, query: { accountId: subject.accountId } }
      : { path: `${base}/group/${encodeURIComponent(subject.groupName)}` }),
    within: { pageId },
    scope: 'write:confluence-content',
    notFound:
      'accountId' in subject
        ? missing(pageId)
        : `Page ${pageId} or the group "${subject.groupName}" does not exist, or the connected user may not view the page.`,
    badRequestHints: [
      {
        when: /user|account|invalid/i,
        say: 'Give the account id of an existing user (search_confluence_users finds it).',
      },
    ],
  });
}
