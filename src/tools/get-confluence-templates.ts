import * as z from 'zod';
import { listPageTemplates } from '../confluence/templates.ts';
import { ApiError } from '../lib/errors.ts';
import { spaceKey } from './arguments.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    space_key: spaceKey.optional().describe("Omit for the site's templates."),
    limit: z.number().int().min(1).max(100).default(25),
    cursor: z.string().regex(/^\d+$/, 'pass next_cursor as the previous answer gave it').optional(),
  });

const output = () =>
  z.object({
    space_key: z.string().nullable(),
    templates: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        description: z.string(),
        space_key: z.string().nullable(),
        labels: z.array(z.string()),
      }),
    ),
    ...pagingOutput,
  });

export const getConfluenceTemplates = defineTool({
  name: 'get_confluence_templates',
  title: 'List page templates',
  description:
    "List a space's page templates, or the site's; create a page from one with create_confluence_page_from_template. Uses Confluence's v1 template API, which Atlassian is retiring.",
  schema,
  output,
  annotations: ANNOTATIONS.read,
  toolset: 'templates',
  async run(args, confluence) {
    // Through the fence: a key outside the allowed spaces is not_found, as a missing one is.
    if (args.space_key !== undefined) await confluence.spaceIdForKey(args.space_key);
    const start = args.cursor === undefined ? 0 : Number(args.cursor);
    let answer: Awaited<ReturnType<typeof listPageTemplates>>;
    try {
      answer = await listPageTemplates(confluence, {
        ...(args.space_key !== undefined && { spaceKey: args.space_key }),
        start,
        limit: args.limit,
      });
    } catch (error) {
      // v1 answers a space it cannot show with 403.
      if (error instanceof ApiError && error.code === 'forbidden' && args.space_key !== undefined) {
        throw new ApiError('not_found', `No space with key "${args.space_key}" the connected user may see.`);
      }
      throw error;
    }
    const next = answer._links?.next ? start + answer.size : undefined;
    return {
      space_key: args.space_key ?? null,
      templates: answer.results.map((template) => ({
        id: template.templateId,
        name: template.name,
        description: template.description ?? '',
        space_key: template.space?.key ?? null,
        labels: (template.labels ?? []).map((label) => label.name),
      })),
      ...(next === undefined ? { has_more: false } : { has_more: true, next_cursor: String(next) }),
    };
  },
});
