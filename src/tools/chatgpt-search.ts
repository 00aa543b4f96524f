import * as z from 'zod';
import { ANNOTATIONS, defineTool } from './tool.ts';

/**
 * ChatGPT's connector search (deep research, company knowledge): a tool named exactly `search` that
 * takes one `query` string and answers `{"results": [{"id", "title", "url"}]}`, the ids being what
 * its `fetch` reads. Here a CQL text search over pages, confined like any search to the policy's spaces.
 */

const RESULTS = 20;

const schema = () =>
  z.object({
    query: z.string().trim().min(1).max(1_000).describe('Words to look for in page titles and bodies.'),
  });

const output = () =>
  z.object({
    results: z.array(z.object({ id: z.string(), title: z.string(), url: z.string() })),
  });

export const chatgptSearch = defineTool({
  name: 'search',
  toolset: 'chatgpt',
  title: 'Search Confluence pages',
  description:
    'Search the Confluence site for pages about the query (full text). Read a result with fetch and its id.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const words = phrase(args.query);
    // Nothing left to look for (the query was only wildcards or backslashes): nothing found.
    if (words === '') return { results: [] };
    const answer = await confluence.search({
      cql: `type = page AND text ~ "${words}"`,
      limit: RESULTS,
      includeArchivedSpaces: false,
    });
    const results = [];
    for (const result of answer.results) {
      const id = result.content?.id;
      if (id === undefined) continue;
      const url = confluence.webUrl(result.url) ?? confluence.contentUrl(id, 'page') ?? '';
      results.push({ id, title: result.title || result.content?.title || '', url });
    }
    return { results };
  },
});

/**
 * The query as a CQL phrase: quotes escaped, backslashes (which CQL reads as escapes) and leading
 * wildcards (which Confluence refuses) turned into spaces, so any words make a valid query.
 */
export function phrase(query: string): string {
  return query
    .replace(/\\/g, ' ')
    .replace(/"/g, '\\"')
    .replace(/(^|\s)[*?]+/g, '$1')
    .trim();
}
