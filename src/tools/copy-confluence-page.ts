import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import { nextCursor } from '../confluence/paging.ts';
import type { Page, TreeNode } from '../confluence/types.ts';
import { ApiError } from '../lib/errors.ts';
import { pageId, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { pageFieldsOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

/** The most pages one copy writes: a bigger subtree is refused before anything is created. */
export const MAX_COPIED_PAGES = 50;

const schema = () =>
  z.object({
    page_id: pageId,
    space_id: spaceId.optional().describe('The space to copy into; omit for the same.'),
    space_key: spaceKey.optional().describe('Or the space by key.'),
    parent_id: pageId.optional().describe('Default: beside the original, or the top of another space.'),
    title: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .describe('Default the same, with "Copy of " in the same space.'),
    include_children: z
      .boolean()
      .default(false)
      .describe(`true to copy the pages below it too (at most ${MAX_COPIED_PAGES} pages in all).`),
  });

const output = () =>
  z.object({
    page: z.object({ ...pageFieldsOutput, version: z.number().optional() }),
    copied: z.array(z.object({ source_id: z.string(), id: z.string(), title: z.string() })),
    skipped: z.array(z.object({ id: z.string(), type: z.string(), title: z.string() })),
    message: z.string(),
  });

export const copyConfluencePage = defineTool({
  name: 'copy_confluence_page',
  title: 'Copy a page',
  description:
    'Copy a page (title and body; not attachments, labels or comments), with its child pages if asked, into its own or another allowed space. invalid_arguments quoting Confluence usually means the title is taken there: pass another title.',
  schema,
  output,
  annotations: ANNOTATIONS.write,
  toolset: 'page_admin',
  async run(args, confluence) {
    if (args.space_id !== undefined && args.space_key !== undefined) {
      throw new ApiError('invalid_arguments', 'space_key: give either space_id or space_key, not both');
    }
    const source = await readStorage(confluence, args.page_id);
    const targetSpace =
      args.space_id === undefined && args.space_key === undefined
        ? source.spaceId
        : await resolveSpaceId(confluence, args);
    const sameSpace = targetSpace === source.spaceId;
    const titleOf = (title: string) => (sameSpace ? `Copy of ${title}` : title);
    const below = args.include_children ? await subtree(confluence, args.page_id) : [];

    const root = await confluence.createPage({
      spaceId: targetSpace,
      status: 'current',
      title: args.title ?? titleOf(source.title),
      ...(args.parent_id !== undefined
        ? { parentId: args.parent_id }
        : sameSpace && source.parentId && source.parentType === 'page'
          ? { parentId: source.parentId }
          : {}),
      body: { representation: 'storage', value: source.body?.storage?.value ?? '' },
    });
    const copied = [{ source_id: source.id, id: root.id, title: root.title }];
    const skipped: { id: string; type: string; title: string }[] = [];
    // Source id → the copy its children go under; a skipped node hands its place to its own parent.
    const placed = new Map<string, string>([[source.id, root.id]]);
    try {
      for (const node of below) {
        const parent = placed.get(node.parentId ?? '') ?? root.id;
        if ((node.type ?? 'page') !== 'page') {
          skipped.push({ id: node.id, type: node.type ?? 'unknown', title: node.title ?? '' });
          placed.set(node.id, parent);
          continue;
        }
        const page = await readStorage(confluence, node.id);
        const copy = await confluence.createPage({
          spaceId: targetSpace,
          status: 'current',
          title: titleOf(page.title),
          parentId: parent,
          body: { representation: 'storage', value: page.body?.storage?.value ?? '' },
        });
        placed.set(node.id, copy.id);
        copied.push({ source_id: node.id, id: copy.id, title: copy.title });
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new ApiError(
        error.code,
        `${error.message} The copy stopped part-way: ${copied.length} of ${below.filter((n) => (n.type ?? 'page') === 'page').length + 1} pages were copied (the copy of the top page is ${root.id}); delete them with delete_confluence_page or finish by hand.`,
        { details: { ...error.details, copied } },
      );
    }
    return {
      page: { ...pageFields(root, confluence), version: root.version?.number },
      copied,
      skipped,
      message: `Copied ${copied.length} page${copied.length === 1 ? '' : 's'} into space ${args.space_key ?? targetSpace}${skipped.length ? `; ${skipped.length} folder, whiteboard or other non-page node${skipped.length === 1 ? ' was' : 's were'} not copied` : ''}`,
    };
  },
});

function readStorage(confluence: ConfluenceApi, id: string): Promise<Page> {
  return confluence.getPage(id, { 'body-format': 'storage' });
}

/** Every node below the page (five levels), parents before children; refused when it holds too many pages. */
async function subtree(confluence: ConfluenceApi, id: string): Promise<TreeNode[]> {
  const nodes: TreeNode[] = [];
  let cursor: string | undefined;
  do {
    const answer = await confluence.listDescendants(
      { id, type: 'page' },
      { limit: 250, depth: 5, ...(cursor && { cursor }) },
    );
    nodes.push(...answer.results);
    cursor = nextCursor(answer._links);
    if (nodes.filter((n) => (n.type ?? 'page') === 'page').length >= MAX_COPIED_PAGES) {
      throw new ApiError(
        'invalid_arguments',
        `Page ${id} has ${MAX_COPIED_PAGES} or more pages below it; nothing was copied. Copy it without include_children, or copy its sections one at a time.`,
      );
    }
  } while (cursor);
  // Parents before children, whatever order the levels came in.
  return nodes.sort((a, b) => (a.depth ?? 1) - (b.depth ?? 1));
}
