import type { ConfluenceApi } from '../confluence/api.ts';
import type { Page } from '../confluence/types.ts';
import { versionConflict, writeNextVersion } from './version-conflict.ts';

/**
 * Writing a new version of a page without overwriting an edit the caller has not seen: read the
 * current version (published or draft), refuse unless it is the one the caller read, write the
 * next number, and report the winner when someone saves in between (version_conflict).
 */

/**
 * The page as an update starts from, when it is still at `versionNumber`; version_conflict otherwise.
 *
 * The read the caller just made of the page, when the read cache still holds it at exactly that
 * version, is the page to start from: no second read of a page the agent read seconds ago (2 or
 * more points, and a round trip). Safe because:
 * - it is Confluence's own answer for this integration, cached at most CONFLUENCE_READ_CACHE_SECONDS
 *   and dropped by any write through the gateway and by a webhook event for the integration; and
 * - the body and the version it carries belong together, and the write sends that version + 1,
 *   which Confluence accepts only while the page is still at that version (409 otherwise: "Version
 *   must be incremented"). A save made meanwhile where the cache cannot see it (in Confluence
 *   itself, another data centre) makes the write fail with version_conflict, as a fresh read would
 *   have: the worst a stale entry costs is that answer one step later, never a lost update.
 * Any other cached version (or a draft, or an archived page) is read again from Confluence. Only
 * writes that send the version may start from a cached read (`reuseRead`): a DELETE carries none,
 * so nothing on Confluence's side would catch a stale one, and the others read the page fresh.
 */
export async function readVersion(
  confluence: ConfluenceApi,
  id: string,
  versionNumber: number,
  options: { reuseRead?: boolean } = {},
): Promise<Page> {
  if (options.reuseRead) {
    const seen = await confluence.getCachedPage(id);
    if (seen?.status === 'current' && seen.version?.number === versionNumber) {
      startedFromCache.add(seen);
      return seen;
    }
  }
  const current = await readForUpdate(confluence, id, true);
  if (versionNumber !== (current.version?.number ?? 0)) throw pageConflict(current, versionNumber);
  return current;
}

/** Pages readVersion answered from the read cache: only a write's version check has seen them. */
const startedFromCache = new WeakSet<Page>();

/**
 * The page to answer with when an update writes nothing (the content was already as sent). A page
 * started from a cached read is read again from Confluence first: no PUT will carry its version, so
 * an edit made since the cached read would otherwise be reported as "unchanged" at the old version.
 */
export async function confirmUnchanged(confluence: ConfluenceApi, page: Page): Promise<Page> {
  if (!startedFromCache.has(page)) return page;
  const versionNumber = page.version?.number ?? 0;
  const current = await readForUpdate(confluence, page.id, true);
  if ((current.version?.number ?? 0) !== versionNumber) throw pageConflict(current, versionNumber);
  return current;
}

export function storageOf(page: Pick<Page, 'body'>): string {
  return page.body?.storage?.value ?? '';
}

/** A page's next version: what `saveNextVersion` writes over the one read. */
export interface NextVersion {
  status: string;
  title: string;
  storage: string;
  message?: string;
  parentId?: string;
}

/** Writes `current`'s next version; a save by someone else in between is reported as version_conflict. */
export async function saveNextVersion(
  confluence: ConfluenceApi,
  current: Page,
  change: NextVersion,
): Promise<Page> {
  const currentNumber = current.version?.number ?? 0;
  return writeNextVersion(
    () =>
      confluence.updatePage(current.id, {
        id: current.id,
        status: change.status,
        title: change.title,
        body: { representation: 'storage', value: change.storage },
        version: {
          number: currentNumber + 1,
          ...(change.message !== undefined && { message: change.message }),
        },
        ...(change.parentId !== undefined && { parentId: change.parentId }),
      }),
    async () => pageConflict(await reread(confluence, current.id), currentNumber),
  );
}

function readForUpdate(confluence: ConfluenceApi, id: string, fresh = false): Promise<Page> {
  return confluence.getPage(id, { 'body-format': 'storage', status: UPDATABLE }, { fresh });
}

const UPDATABLE = ['current', 'draft'] as const;

async function reread(confluence: ConfluenceApi, id: string): Promise<Page | undefined> {
  try {
    return await readForUpdate(confluence, id);
  } catch {
    return undefined;
  }
}

function pageConflict(current: Page | undefined, yours: number) {
  const version = current?.version;
  const by = version?.authorId ? ` by ${version.authorId}` : '';
  const at = version?.createdAt ? ` at ${version.createdAt}` : '';
  const state = version
    ? `is now at version ${version.number} (saved${by}${at})`
    : 'has been changed by someone else';
  return versionConflict(
    `The page ${state}, not version ${yours} that your change is based on; nothing was saved. Read it again with get_confluence_page, merge your change into its current content, and retry with the version_number you read then.`,
    version,
  );
}
