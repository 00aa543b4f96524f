import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, pageId } from './arguments.ts';
import { PAGE_NOT_FOUND } from './descriptions.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';
import { nodeMessage, nodeType, typeOf, unknownTypeMessage } from './tree-nodes.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe(
      'The id of the page (or, with node_type, the folder, whiteboard, database or embed) whose children to list.',
    ),
    node_type: nodeType,
    depth: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(1)
      .describe(
        '1 (default) lists the direct children only; 2 to 5 lists every descendant down to that many levels, each with its depth and parent_id.',
      ),
    limit,
    cursor,
  });

const output = () =>
  z.object({
    page_id: z.string(),
    depth: z.number(),
    pages: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        type: z
          .string()
          .describe('page, folder, whiteboard, database, embed, or a type Confluence added later.'),
        status: z.string().nullable(),
        parent_id: z.string().nullable(),
        depth: z.number(),
        position: z.number().nullable(),
        url: z.string().nullable(),
        message: nodeMessage,
      }),
    ),
    ...pagingOutput,
  });

export const getConfluencePageChildren = defineTool({
  name: 'get_confluence_page_children',
  toolset: 'tree',
  title: 'List the pages under a page',
  description: [
    'List what sits under one Confluence page in the page tree: its direct children, or with depth 2–5 its descendants level by level. Use it to explore a section of the documentation from a parent page; for a whole space use get_confluence_space_pages, for the path above a page use get_confluence_page_ancestors.',
    'Returns page_id, depth, pages [{id, title, type (page, folder, whiteboard, database or embed: folders and other non-page nodes are listed, not dropped), status, parent_id, depth (1 = direct child), position (order among siblings), url}] in tree order, and has_more.',
    'When has_more is true, call again with cursor = next_cursor and the same page_id and depth. Read a listed page with get_confluence_page; list what is inside a listed folder (or other node) by calling again with its id and node_type set to its type. A node with a message is of a type the gateway cannot act on.',
    `Errors: ${PAGE_NOT_FOUND}; forbidden naming a scope means the integration must be reconnected to grant it.`,
  ].join(' '),
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const query = { limit: args.limit, cursor: args.cursor };
    const start = { id: args.page_id, type: args.node_type };
    const answer =
      args.depth === 1
        ? await confluence.listDirectChildren(start, query)
        : await confluence.listDescendants(start, { ...query, depth: args.depth });
    const pages = answer.results.map((node) => {
      const message = unknownTypeMessage(node.type);
      return {
        id: node.id,
        title: node.title ?? '',
        type: typeOf(node.type),
        status: node.status ?? null,
        parent_id: node.parentId ?? (args.depth === 1 ? args.page_id : null),
        depth: node.depth ?? 1,
        position: node.childPosition ?? null,
        url: confluence.contentUrl(node.id, node.type) ?? null,
        ...(message && { message }),
      };
    });
    return { page_id: args.page_id, depth: args.depth, pages, ...pagingFields(answer._links) };
  },
});
