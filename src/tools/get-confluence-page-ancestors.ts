import * as z from 'zod';
import { pageId } from './arguments.ts';
import { PAGE_NOT_FOUND } from './descriptions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe('The id of the page to place in its tree.'),
  });

const output = () =>
  z.object({
    page_id: z.string(),
    ancestors: z.array(
      z.object({
        id: z.string(),
        title: z.string().nullable(),
        type: z.string(),
        url: z.string().nullable(),
      }),
    ),
  });

export const getConfluencePageAncestors = defineTool({
  name: 'get_confluence_page_ancestors',
  title: 'Show the path above a page',
  description: [
    "List the pages (and folders) above one Confluence page, from the top of the space's tree down to its parent: the breadcrumb that says where a page sits. Use it to place a page found by search in context; to go down the tree use get_confluence_page_children.",
    'Returns page_id and ancestors [{id, title, type, url}] ordered root first; empty for a page at the top of its space. A non-page ancestor (a folder, whiteboard or database) has its type and url but title null.',
    `Errors: ${PAGE_NOT_FOUND}.`,
  ].join(' '),
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const { results } = await confluence.listAncestors(args.page_id);
    const pageIds = results.filter((a) => (a.type ?? 'page') === 'page').map((a) => a.id);
    // One more call names every page ancestor; the ancestors answer carries ids and types only.
    const pages = pageIds.length ? (await confluence.listPagesById(pageIds)).results : [];
    const byId = new Map(pages.map((page) => [page.id, page]));
    const ancestors = results.map((ancestor) => {
      const page = byId.get(ancestor.id);
      return {
        id: ancestor.id,
        title: page?.title ?? null,
        type: ancestor.type ?? 'page',
        url:
          (confluence.webUrl(page?._links?.webui) ?? confluence.contentUrl(ancestor.id, ancestor.type)) ||
          null,
      };
    });
    return { page_id: args.page_id, ancestors };
  },
});
