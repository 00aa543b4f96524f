import * as z from 'zod';
import { spaceKeyOfResult } from '../confluence/api.ts';
import { pagingFields } from '../confluence/paging.ts';
import type { SearchResult } from '../confluence/types.ts';
import { cursor, limit } from './arguments.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    cql: z
      .string()
      .trim()
      .min(1)
      .max(10_000)
      .describe(
        'CQL, e.g. text ~ "deploy" AND space=ENG · title ~ "runbook" · label=api order by lastModified desc',
      ),
    limit,
    include_archived: z.boolean().default(false).describe('Include archived spaces.'),
    cursor,
  });

const output = () =>
  z.object({
    pages: z.array(
      z.object({
        id: z.string().nullable(),
        status: z.string().nullable(),
        title: z.string(),
        url: z.string().nullable(),
        excerpt: z.string(),
        last_modified: z.string().nullable(),
        entity_type: z.string().nullable(),
        type: z.string().nullable().describe('page, blogpost, or another content type.'),
        space_key: z.string().nullable(),
        space_name: z.string().nullable(),
        version: z.number().nullable(),
      }),
    ),
    total: z.number().describe("Confluence's count of all matches."),
    limit: z.number(),
    ...pagingOutput,
    query: z.string(),
  });

export const searchConfluencePages = defineTool({
  name: 'search_confluence_pages',
  toolset: 'search',
  title: 'Search pages with CQL',
  description:
    'Find pages with CQL (Confluence Query Language) by words, title, label, space or date: the first tool for finding documentation (a blogpost result reads with get_confluence_blogpost). invalid_arguments quoting Confluence: the CQL does not parse; check quotes, field names and AND/OR.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const answer = await confluence.search({
      cql: args.cql,
      limit: args.limit,
      cursor: args.cursor,
      includeArchivedSpaces: args.include_archived,
    });
    const pages = answer.results.map((result) => shapeResult(result, confluence.webUrl(result.url)));
    return {
      pages,
      // Potpie's agents read total as Confluence's totalSize; keep that meaning.
      total: answer.totalSize ?? pages.length,
      limit: answer.limit ?? args.limit,
      ...pagingFields(answer._links),
      query: args.cql,
    };
  },
});

function shapeResult(result: SearchResult, url: string | undefined) {
  const content = result.content;
  const space = result.space ?? content?.space;
  const container = result.resultGlobalContainer;
  return {
    id: content?.id ?? null,
    status: content?.status ?? null,
    title: result.title || content?.title || '',
    url: url ?? null,
    // "highlight" excerpts wrap each hit in @@@hl@@@…@@@endhl@@@: noise to an agent.
    excerpt: (result.excerpt ?? '').replace(/@@@(?:end)?hl@@@/g, ''),
    last_modified: result.lastModified ?? null,
    entity_type: result.entityType ?? null,
    type: content?.type ?? null,
    // v1 names the space of a result in its container ("/spaces/ENG") unless content.space is expanded.
    space_key: spaceKeyOfResult(result) ?? null,
    space_name: space?.name ?? container?.title ?? null,
    version: content?.version?.number ?? null,
  };
}
