import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, pageId } from './arguments.ts';
import { PAGE_NOT_FOUND } from './descriptions.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe('The id of the page whose versions to list.'),
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
  description: [
    "List a Confluence page's saved versions, newest first: who saved each, when, and the version message. Use it to see what changed since a date or who edited a page; then compare two versions with compare_confluence_page_versions.",
    'Returns page_id, versions [{number, author_id, created_at, message, minor_edit}] and has_more. author_id is an Atlassian account id: search_confluence_users with account_ids gives the name.',
    'When has_more is true, call again with cursor = next_cursor and the same page_id to go further back.',
    `Errors: ${PAGE_NOT_FOUND}.`,
  ].join(' '),
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
