import * as z from 'zod';
import type { ConfluenceApi, Page } from '../confluence/api.ts';
import { toStorageFormat } from '../confluence/body.ts';
import { ApiError } from '../errors.ts';
import { BODY_RULE, bodyText, pageId } from './arguments.ts';
import { writtenPageOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { defineTool } from './tool.ts';

const schema = z
  .object({
    page_id: pageId,
    version_number: z
      .number()
      .int()
      .min(1)
      .describe(
        'The page.version.number you read with get_confluence_page: the version your change is based on.',
      ),
    title: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .describe('A new title; omit to keep the current one.'),
    body: bodyText('The new content, replacing the whole body; omit to keep the current one').optional(),
    status: z
      .enum(['current', 'draft'])
      .default('current')
      .describe(
        '"current" (published, the default: updating a draft publishes it) or "draft" (keep it a draft).',
      ),
    version_message: z
      .string()
      .max(500)
      .optional()
      .describe('An optional note stored with the new version in the page history.'),
  })
  .superRefine((args, ctx) => {
    if (args.title === undefined && args.body === undefined) {
      ctx.addIssue({ code: 'custom', path: ['body'], message: 'nothing to change: give title and/or body' });
    }
  });

export const updateConfluencePage = defineTool({
  name: 'update_confluence_page',
  title: 'Update a page',
  description: [
    "Change an existing page's title and/or content. First read it with get_confluence_page; pass its version.number as version_number and send the full new body (your change merged into the current content). An omitted title or body stays as it is; status defaults to current, so send status draft to keep a draft unpublished.",
    'The update is refused with version_conflict when the page has changed since the version you read (error.current_version tells {number, author_id, created_at}): read the page again, merge your change into the new content, and retry with the new number. It never overwrites an edit you have not seen.',
    `Body: ${BODY_RULE}`,
    'Returns page {id, status, title, space_id, parent_id, parent_type, author_id, created_at, version (the new number), url, _links} and a message.',
  ].join(' '),
  schema,
  output: writtenPageOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async run(args, confluence) {
    const current = await readForUpdate(confluence, args.page_id);
    const currentNumber = current.version?.number ?? 0;
    if (args.version_number !== currentNumber) throw versionConflict(current, args.version_number);
    let page: Page;
    try {
      page = await confluence.updatePage(args.page_id, {
        id: args.page_id,
        status: args.status,
        title: args.title ?? current.title,
        body: {
          representation: 'storage',
          value: args.body === undefined ? (current.body?.storage?.value ?? '') : toStorageFormat(args.body),
        },
        version: {
          number: currentNumber + 1,
          ...(args.version_message !== undefined && { message: args.version_message }),
        },
      });
    } catch (error) {
      // Someone saved between our read and our write: report the version that won.
      if (error instanceof ApiError && error.code === 'version_conflict') {
        throw versionConflict(await reread(confluence, args.page_id), args.version_number);
      }
      throw error;
    }
    return {
      page: { ...pageFields(page, confluence), version: page.version?.number, _links: page._links ?? {} },
      message: `Successfully updated page ${page.id} to version ${page.version?.number}`,
    };
  },
});

/** The page as an update starts from: its storage body, whether it is published or a draft. */
function readForUpdate(confluence: ConfluenceApi, id: string): Promise<Page> {
  return confluence.getPage(id, { 'body-format': 'storage', status: UPDATABLE });
}

const UPDATABLE = ['current', 'draft'] as const;

async function reread(confluence: ConfluenceApi, id: string): Promise<Page | undefined> {
  try {
    return await readForUpdate(confluence, id);
  } catch {
    return undefined;
  }
}

function versionConflict(current: Page | undefined, yours: number): ApiError {
  const version = current?.version;
  const by = version?.authorId ? ` by ${version.authorId}` : '';
  const at = version?.createdAt ? ` at ${version.createdAt}` : '';
  const state = version
    ? `is now at version ${version.number} (saved${by}${at})`
    : 'has been changed by someone else';
  return new ApiError(
    'version_conflict',
    `The page ${state}, not version ${yours} that your change is based on; nothing was saved. Read it again with get_confluence_page, merge your change into its current content, and retry with the version_number you read then.`,
    version && {
      details: {
        current_version: {
          number: version.number,
          author_id: version.authorId ?? null,
          created_at: version.createdAt ?? null,
        },
      },
    },
  );
}
