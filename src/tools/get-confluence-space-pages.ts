import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, oneSpace, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
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
        .describe('"any": current and archived. Drafts are not listed.'),
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
  description:
    'List the pages of one space, to browse its structure or find a page id. To find pages by their words, use search_confluence_pages.',
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
