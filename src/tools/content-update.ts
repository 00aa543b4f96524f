import type * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import type { Page } from '../confluence/types.ts';
import { loadMarkdown } from '../markdown/load.ts';
import { type BodyFormat, refuseLoss, siteUrl, toStorage } from './body-format.ts';
import { type NextVersion, storageOf } from './page-versions.ts';

/**
 * What update_confluence_page and update_confluence_blogpost share: the check that there is
 * something to change, the next version's title and body once the version the caller read is
 * confirmed, and the answer. Each tool keeps its own schema (the descriptions differ) and its own read
 * and write of the content.
 */

/** The arguments both update tools take. */
export interface ContentUpdateArguments {
  title?: string;
  body?: string;
  body_format: BodyFormat;
  allow_removal: boolean;
  status: string;
  version_message?: string;
}

/** Object-level check of both update tools' arguments: a new title, a new body, or both. */
export function titleOrBody(args: { title?: unknown; body?: unknown }, ctx: z.RefinementCtx): void {
  if (args.title === undefined && args.body === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['body'],
      message: 'nothing to change: give title and/or body',
    });
  }
}

/**
 * The version to write over `current`: the new title and body, a Markdown body merged into the stored
 * one so that what it does not touch is kept byte for byte (content_loss unless allow_removal).
 * undefined when there is nothing to write: Markdown identical to what was read, with the same title
 * and status, writes no empty version into the history.
 */
export async function nextVersion(
  args: ContentUpdateArguments,
  current: Pick<Page, 'title' | 'status' | 'body'>,
  confluence: ConfluenceApi,
): Promise<NextVersion | undefined> {
  let storage = storageOf(current);
  let bodyUnchanged = args.body === undefined;
  if (args.body !== undefined && args.body_format === 'markdown') {
    const { mergeMarkdown } = await loadMarkdown();
    const merge = mergeMarkdown(args.body, storage, siteUrl(confluence));
    await refuseLoss(merge, args.allow_removal);
    storage = merge.storage;
    bodyUnchanged = merge.unchanged;
  } else if (args.body !== undefined) storage = await toStorage(args.body, args.body_format, confluence);
  const title = args.title ?? current.title;
  if (
    args.body_format === 'markdown' &&
    bodyUnchanged &&
    title === current.title &&
    args.status === current.status
  ) {
    return undefined;
  }
  return {
    status: args.status,
    title,
    storage,
    ...(args.version_message !== undefined && { message: args.version_message }),
  };
}

/**
 * An update tool's answer: the content as written (`writtenPage` or `writtenBlogPost`) under `key`,
 * whether nothing was written, and the message saying which.
 */
export function updateAnswer(
  key: 'page' | 'blogpost',
  noun: 'page' | 'blog post',
  written: { id: string; version?: number },
  unchanged: boolean,
) {
  return {
    [key]: written,
    unchanged,
    message: unchanged
      ? `The content of ${noun} ${written.id} is unchanged; no new version was written`
      : `Successfully updated ${noun} ${written.id} to version ${written.version}`,
  };
}
