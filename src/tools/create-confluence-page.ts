import * as z from 'zod';
import { BODY_RULE, bodyText, oneSpace, pageId, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { bodyFormat, toStorage } from './body-format.ts';
import { writtenPageOutput } from './outputs.ts';
import { writtenPage } from './page-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      space_id: spaceId.optional(),
      space_key: spaceKey.optional(),
      title: z
        .string()
        .trim()
        .min(1)
        .max(255)
        .describe('The page title; it must be unique among the current pages of the space.'),
      body: bodyText('The page content'),
      body_format: bodyFormat,
      parent_id: pageId
        .optional()
        .describe('The id of the page to nest this one under; omit to put it at the top of the space.'),
      status: z
        .enum(['current', 'draft'])
        .default('current')
        .describe('"current" publishes the page (default); "draft" saves it unpublished.'),
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
  description: [
    'Create a new Confluence page in a space (give space_id or space_key), optionally under a parent page.',
    `Body: ${BODY_RULE} With body_format "markdown" (recommended), the body is Markdown instead.`,
    'Returns page {id, status, title, space_id, parent_id, parent_type, author_id, created_at, version, url, _links} and a message; keep page.id and page.version to update the page later.',
    'Errors: invalid_arguments quoting Confluence usually means the title is taken in that space or the HTML is not well-formed; not_found means no such space or parent; upstream_timeout on a create means check (search by title) before retrying, so the page is not created twice.',
  ].join(' '),
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
