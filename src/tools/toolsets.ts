/**
 * Toolsets: every tool belongs to one named set, and a caller chooses which sets it sees. The
 * integration's and an agent token's policies may confine a caller to some sets (`policy.toolsets`);
 * an MCP connection and the REST catalog may narrow further with `?toolsets=a,b`, never widen.
 * An MCP client that names none gets the core of documentation work (DEFAULT_TOOLSETS): a small
 * tools/list leaves a model more of its context for the pages themselves.
 */

export const TOOLSETS = [
  'pages',
  'page_admin',
  'search',
  'tree',
  'comments',
  'history',
  'attachments',
  'labels',
  'people',
  'blogposts',
  'folders',
  'whiteboards_databases',
  'templates',
  'properties',
  'restrictions',
  'tasks',
  'chatgpt',
] as const;

export type Toolset = (typeof TOOLSETS)[number];

/** What an MCP client sees when its URL names no toolsets: read, search, write, comment, browse. */
export const DEFAULT_TOOLSETS: readonly Toolset[] = ['pages', 'search', 'tree', 'comments'];

/** The word that selects every set. */
export const ALL = 'all';

const known = new Set<string>(TOOLSETS);

export function isToolset(name: string): name is Toolset {
  return known.has(name);
}

/**
 * The sets a `toolsets` query parameter names: `undefined` when it is absent, every set for `all`.
 * A name that is no set is an error naming the valid ones (returned, not thrown: each door says it
 * in its own way).
 */
export function parseToolsetsParam(
  value: string | undefined,
): { sets: ReadonlySet<Toolset> | undefined } | { error: string } {
  if (value === undefined) return { sets: undefined };
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) {
    return { error: `toolsets is empty: name one or more of ${TOOLSETS.join(', ')}, or "all".` };
  }
  if (names.includes(ALL)) return { sets: new Set(TOOLSETS) };
  const unknown = names.filter((name) => !isToolset(name));
  if (unknown.length > 0) {
    return {
      error: `toolsets names ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')}, which ${unknown.length === 1 ? 'is no toolset' : 'are no toolsets'}: the toolsets are ${TOOLSETS.join(', ')}, or "all".`,
    };
  }
  return { sets: new Set(names as Toolset[]) };
}
