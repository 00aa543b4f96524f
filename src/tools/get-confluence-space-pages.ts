import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, oneSpace, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { RATE_LIMITED } from './descriptions.ts';
import { pageFieldsOutput, pagingOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';
import { nameContainer, unknownTypeMessage } from './tree-nodes.ts';

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
    containers: z
      .array(
        z.object({
          id: z.string(),
          type: z.string(),
          title: z.string().nullable(),
          url: z.string().nullable(),
          message: z.string().optional(),
        }),
      )
      .describe('The folders (and other non-page nodes) the listed pages sit in, named.'),
    total: z.number().describe('The number of pages in this answer.'),
    status_filter: z.string(),
    ...pagingOutput,
  });

export const getConfluenceSpacePages = defineTool({
  name: 'get_confluence_space_pages',
  toolset: 'tree',
  title: 'List the pages of a space',
  description: [
    'List the pages of one Confluence space, to browse its structure (parents, positions) or find a page id. Give space_id (numeric, from get_confluence_spaces) or space_key (e.g. "ENG"). To find pages by words, use search_confluence_pages instead.',
    'Returns space_id, pages [{id, status, title, space_id, parent_id, parent_type, position, author_id, created_at, version, url}], total (the number of pages in THIS answer, not in the space), status_filter and has_more.',
    'When has_more is true, call again with cursor = next_cursor and the same other arguments; repeat until has_more is false to see every page. containers names the folders and other non-page nodes the listed pages sit in (list one with get_confluence_page_children and its node_type).',
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
    // A page's parent may be a folder, whiteboard or database, which this listing does not carry:
    // each distinct one is named by its own read, so the agent meets no bare id.
    const parents = new Map<string, string>();
    for (const page of answer.results) {
      const type = page.parentType ?? 'page';
      if (page.parentId && type !== 'page') parents.set(page.parentId, type);
    }
    const containers = await Promise.all(
      [...parents].map(async ([id, type]) => {
        const named = await nameContainer(confluence, { id, type });
        const message = unknownTypeMessage(type) ?? named?.message;
        return {
          id,
          type,
          title: named?.title ?? null,
          url: confluence.webUrl(named?.webui) ?? confluence.contentUrl(id, type) ?? null,
          ...(message && { message }),
        };
      }),
    );
    return {
      space_id: spaceId,
      ...(args.space_key !== undefined && { space_key: args.space_key }),
      pages,
      containers,
      total: pages.length,
      status_filter: args.status,
      ...pagingFields(answer._links),
    };
  },
});
