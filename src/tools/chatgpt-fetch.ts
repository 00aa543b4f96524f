import * as z from 'zod';
import { loadMarkdown } from '../markdown/load.ts';
import { pageId } from './arguments.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

/**
 * ChatGPT's connector fetch: a tool named exactly `fetch` that takes one `id` (from `search`) and
 * answers `{"id", "title", "text", "url", "metadata"}`. Here the page as Markdown, with its space,
 * version and last change in the metadata. Longer pages are cut at MAX_TEXT characters (said in
 * metadata.truncated): connectors read whole documents, with no offset to page on.
 */

const MAX_TEXT = 200_000;

const schema = () => z.object({ id: pageId.describe('The id of a result of search.') });

const output = () =>
  z.object({
    id: z.string(),
    title: z.string(),
    text: z.string(),
    url: z.string(),
    metadata: z.object({
      space_id: z.string(),
      version: z.number().optional(),
      last_modified: z.string().optional(),
      truncated: z.boolean(),
    }),
  });

export const chatgptFetch = defineTool({
  name: 'fetch',
  toolset: 'chatgpt',
  title: 'Read a Confluence page',
  description: 'Read one Confluence page found with search, as Markdown text.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const page = await confluence.getPage(args.id, { 'body-format': 'storage' });
    const markdown = (await loadMarkdown()).storageToMarkdown(page.body?.storage?.value ?? '');
    return {
      id: page.id,
      title: page.title,
      text: markdown.slice(0, MAX_TEXT),
      url: confluence.webUrl(page._links?.webui) ?? confluence.contentUrl(page.id, 'page') ?? '',
      metadata: {
        space_id: page.spaceId,
        ...(page.version?.number !== undefined && { version: page.version.number }),
        ...(page.version?.createdAt !== undefined && { last_modified: page.version.createdAt }),
        truncated: markdown.length > MAX_TEXT,
      },
    };
  },
});
