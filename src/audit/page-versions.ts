/** A page's versions as one tool call saw them: read before a write, and written. For the audit log. */
export interface PageVersions {
  spaceId: string;
  before?: number;
  after?: number;
}

/** The fields of a Confluence page answer this reads; any other answer is passed over. */
interface PageLike {
  id?: unknown;
  spaceId?: unknown;
  version?: { number?: unknown };
}

/**
 * An observer for the Confluence operations (confluence/api.ts) that notes, per page id, the version
 * each answer naming a page showed: the first one read (`before`) and the last one written (`after`).
 */
export function pageVersionRecorder(pages: Map<string, PageVersions>) {
  return (method: string, answer: unknown): void => {
    const page = answer as PageLike | undefined;
    const number = page?.version?.number;
    if (typeof page?.id !== 'string' || typeof page.spaceId !== 'string' || typeof number !== 'number')
      return;
    const seen = pages.get(page.id) ?? { spaceId: page.spaceId };
    if (method === 'GET') seen.before ??= number;
    else seen.after = number;
    pages.set(page.id, seen);
  };
}
