import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, pageId } from './arguments.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';
import { nodeMessage, nodeType, typeOf, unknownTypeMessage } from './tree-nodes.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    node_type: nodeType,
    depth: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(1)
      .describe('1: direct children; 2 to 5: descendants down to that many levels.'),
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
  description:
    'List what sits under a page (depth 1) or its descendants (2 to 5), folders, whiteboards and databases included. Read a page node with get_confluence_page; list inside another node with its id and node_type.',
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
