import type { Caller } from '../auth/caller.ts';
import type { PageVersions } from './page-versions.ts';

/**
 * One audit entry: who called which tool on what, and how it ended. Ids and version numbers only:
 * never a body, a comment, a query, a title or a token, so the log can be shown to any operator.
 */
export interface AuditEntry {
  /** Assigned by the log: a decimal sequence number, newest highest. */
  id?: string;
  at: string;
  caller:
    | { kind: 'service' }
    | { kind: 'agent_token'; token_id: string; label: string | null }
    | { kind: 'mcp_grant'; grant_id: string; client_id: string };
  tool: string;
  /** The ids the call named or produced: page_id, space_id, space_key, parent_id, comment_id, … */
  targets: Record<string, string | string[]>;
  /** "ok", or the error code the caller received. */
  outcome: string;
  /** For a call the policy refused: the rule and whose policy it is. */
  refused_by?: { rule: string; policy: string };
  /** The version of the page the call acted on before and after it (null: not read, or not changed). */
  page_version: { before: number | null; after: number | null } | null;
  /**
   * The Atlassian points the call's Confluence requests cost (0 for a call refused before any);
   * absent from entries written before the gateway metered points.
   */
  points?: number;
  /**
   * A refusal repeated identically (same caller, tool, targets, outcome and rule) within a minute of
   * the entry's `at` is counted here rather than written again: how many there were, and the last.
   */
  count?: number;
  last_at?: string;
}

/** What makes two refusals the same for collapsing: everything but the time (and the points). */
export function refusalKey(entry: AuditEntry): string | undefined {
  if (!entry.refused_by) return undefined;
  const { caller, tool, targets, outcome, refused_by } = entry;
  return JSON.stringify({ caller, tool, targets, outcome, refused_by });
}

/** Who called, as the log names it. Exhaustive: a new kind of caller does not compile until it is named here. */
export function auditCaller(caller: Caller): AuditEntry['caller'] {
  switch (caller.kind) {
    case 'service':
      return { kind: 'service' };
    case 'agent':
      return { kind: 'agent_token', token_id: caller.tokenId, label: caller.label };
    case 'mcp_client':
      return { kind: 'mcp_grant', grant_id: caller.grantId, client_id: caller.clientId };
  }
}

/** Arguments that name a target: `page_id`, `space_key`, `parent_comment_id`, `attachment_ids`… */
const TARGET_ARGUMENT = /(?:^|_)(?:id|ids|key)$/;

/**
 * The ids a call names (its arguments) and produces (the objects of its answer: `page.id` becomes
 * page_id), with the space of the page it touched. Strings of id length only: a value that could be
 * content is never taken.
 */
export function targetsOf(
  args: Record<string, unknown>,
  result: Record<string, unknown> | undefined,
  pages: ReadonlyMap<string, PageVersions>,
): Record<string, string | string[]> {
  const targets: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(args)) {
    if (!TARGET_ARGUMENT.test(name)) continue;
    if (isId(value)) targets[name] = value;
    else if (Array.isArray(value) && value.every(isId)) targets[name] = value.slice(0, 50);
  }
  for (const [name, value] of Object.entries(result ?? {})) {
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof value === 'object' && !Array.isArray(value) && isId(id)) targets[`${name}_id`] ??= id;
  }
  const page = pageOf(targets, pages);
  if (page && typeof targets.space_id !== 'string') targets.space_id = page.spaceId;
  return targets;
}

/** The versions of the page the call acted on, as its Confluence calls saw them. */
export function pageVersionOf(
  targets: Record<string, string | string[]>,
  pages: ReadonlyMap<string, PageVersions>,
): AuditEntry['page_version'] {
  const page = pageOf(targets, pages);
  return page ? { before: page.before ?? null, after: page.after ?? null } : null;
}

function pageOf(
  targets: Record<string, string | string[]>,
  pages: ReadonlyMap<string, PageVersions>,
): PageVersions | undefined {
  const id = targets.page_id;
  return typeof id === 'string' ? pages.get(id) : pages.values().next().value;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 255;
}
