import * as z from 'zod';
import { bodyText, oneSpace, pageId, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { bodyFormat, toStorage } from './body-format.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      space_id: spaceId.optional(),
      space_key: spaceKey.optional(),
      title: z.string().trim().min(1).max(255).describe("Unique among the space's pages."),
      body: bodyText('The page content'),
      body_format: bodyFormat,
      parent_id: pageId.optional().describe('A page or folder; omit for the top of the space.'),
      status: z.enum(['current', 'draft']).default('current').describe('"draft" saves it unpublished.'),
      subtype: z
        .enum(['live'])
        .optional()
        .describe('"live" creates a live doc (edited together in real time, no drafts); omit for a page.'),
    })
    .superRefine(oneSpace);

export const createConfluencePage = defineTool({
  name: 'create_confluence_page',
  toolset: 'pages',
  title: 'Create a page',
  description:
    'Create a page in a space, optionally under a parent page. invalid_arguments quoting Confluence: the title is taken in that space, or the HTML is not well-formed. upstream_timeout: search for the title before retrying, so the page is not made twice.',
  schema,
  output: () => writtenPageOutput,
  annotations: ANNOTATIONS.write,
  async run(args, confluence) {
    const spaceId = await resolveSpaceId(confluence, args);
    const page = await confluence.createPage({
      spaceId,
      status: args.status,
      title: args.title,
      ...(args.parent_id !== undefined && { parentId: args.parent_id }),
      ...(args.subtype !== undefined && { subtype: args.subtype }),
      body: { representation: 'storage', value: await toStorage(args.body, args.body_format, confluence) },
    });
    return {
      page: writtenPage(page, confluence),
      message: `Successfully created page '${page.title}' in space ${args.space_key ?? spaceId}`,
    };
  },
});
