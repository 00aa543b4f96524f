import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, pageId } from './arguments.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    limit,
    cursor,
  });

const output = () =>
  z.object({
    page_id: z.string(),
    versions: z.array(
      z.object({
        number: z.number(),
        author_id: z.string().nullable(),
        created_at: z.string().nullable(),
        message: z.string(),
        minor_edit: z.boolean(),
      }),
    ),
    ...pagingOutput,
  });

export const getConfluencePageHistory = defineTool({
  name: 'get_confluence_page_history',
  toolset: 'history',
  title: 'List the versions of a page',
  description:
    "List a page's versions, newest first: who saved each, when, with what message. Compare two of them with compare_confluence_page_versions.",
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const answer = await confluence.listPageVersions(args.page_id, {
      limit: args.limit,
      cursor: args.cursor,
    });
    const versions = answer.results.map((version) => ({
      number: version.number,
      author_id: version.authorId ?? null,
      created_at: version.createdAt ?? null,
      message: version.message ?? '',
      minor_edit: version.minorEdit ?? false,
    }));
    return { page_id: args.page_id, versions, ...pagingFields(answer._links) };
  },
});
