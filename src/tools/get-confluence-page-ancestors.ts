import * as z from 'zod';
import { pageId } from './arguments.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';
import { nameContainer, nodeMessage, nodeType, typeOf, unknownTypeMessage } from './tree-nodes.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe('A page, or the node node_type names.'),
    node_type: nodeType,
  });

const output = () =>
  z.object({
    page_id: z.string(),
    ancestors: z.array(
      z.object({
        id: z.string(),
        title: z.string().nullable().describe('null only when the node could not be read (see message).'),
        type: z.string(),
        url: z.string().nullable(),
        message: nodeMessage,
      }),
    ),
  });

export const getConfluencePageAncestors = defineTool({
  name: 'get_confluence_page_ancestors',
  toolset: 'tree',
  title: 'Show the path above a page',
  description: 'List the path above a page, root first: where a page found by search sits.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const { results } = await confluence.listAncestors({ id: args.page_id, type: args.node_type });
    const pageIds = results.filter((a) => typeOf(a.type) === 'page').map((a) => a.id);
    // The ancestors answer carries ids and types only: one call names every page ancestor, and each
    // folder, whiteboard, database or smart link is named by its own read.
    const [pages, containers] = await Promise.all([
      pageIds.length ? confluence.listPagesById(pageIds).then((answer) => answer.results) : [],
      Promise.all(results.map((ancestor) => nameContainer(confluence, ancestor))),
    ]);
    const byId = new Map(pages.map((page) => [page.id, page]));
    const ancestors = results.map((ancestor, index) => {
      const type = typeOf(ancestor.type);
      const page = byId.get(ancestor.id);
      const container = containers[index];
      const message =
        unknownTypeMessage(ancestor.type) ??
        container?.message ??
        (type === 'page' && !page ? 'The connected user may not view this page.' : undefined);
      return {
        id: ancestor.id,
        title: page?.title ?? container?.title ?? null,
        type,
        url:
          confluence.webUrl(page?._links?.webui ?? container?.webui) ??
          confluence.contentUrl(ancestor.id, ancestor.type) ??
          null,
        ...(message && { message }),
      };
    });
    return { page_id: args.page_id, ancestors };
  },
});
