import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, oneSpace, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { RATE_LIMITED } from './descriptions.ts';
import { pageFieldsOutput, pagingOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      space_id: spaceId.optional(),
      space_key: spaceKey.optional(),
      limit,
      status: z
        .enum(['current', 'archived', 'deleted', 'trashed', 'any'])
        .default('current')
        .describe(
          'Which pages: "current" (published, default), "archived", "trashed", "deleted", or "any" (current and archived). Drafts are not listed; read one with get_confluence_page and get_draft.',
        ),
      cursor,
    })
    .superRefine(oneSpace);

const output = () =>
  z.object({
    space_id: z.string(),
    space_key: z.string().optional(),
    pages: z.array(
      z.object({
        ...pageFieldsOutput,
        position: z.number().nullable(),
        version: z.number().optional(),
      }),
    ),
    total: z.number().describe('The number of pages in this answer.'),
    status_filter: z.string(),
    ...pagingOutput,
  });

export const getConfluenceSpacePages = defineTool({
  name: 'get_confluence_space_pages',
  title: 'List the pages of a space',
  description: [
    'List the pages of one Confluence space, to browse its structure (parents, positions) or find a page id. Give space_id (numeric, from get_confluence_spaces) or space_key (e.g. "ENG"). To find pages by words, use search_confluence_pages instead.',
    'Returns space_id, pages [{id, status, title, space_id, parent_id, parent_type, position, author_id, created_at, version, url}], total (the number of pages in THIS answer, not in the space), status_filter and has_more.',
    'When has_more is true, call again with cursor = next_cursor and the same other arguments; repeat until has_more is false to see every page.',
    `Errors: not_found means no such space (or key) the user may see; ${RATE_LIMITED}.`,
  ].join(' '),
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const spaceId = await resolveSpaceId(confluence, args);
    const answer = await confluence.listSpacePages(spaceId, {
      limit: args.limit,
      status: args.status === 'any' ? undefined : args.status,
      cursor: args.cursor,
    });
    const pages = answer.results.map((page) => ({
      ...pageFields(page, confluence),
      position: page.position ?? null,
      version: page.version?.number,
    }));
    return {
      space_id: spaceId,
      ...(args.space_key !== undefined && { space_key: args.space_key }),
      pages,
      total: pages.length,
      status_filter: args.status,
      ...pagingFields(answer._links),
    };
  },
});
