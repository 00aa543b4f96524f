import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import { toStorageFormat } from '../confluence/body.ts';
import { ApiError } from '../lib/errors.ts';
import type { MergeResult } from '../markdown/index.ts';
import { loadMarkdown } from '../markdown/load.ts';

/** The `body_format` of the writing tools, and how a body in either format becomes storage. */

/** Why to prefer "markdown" is said once, in the instructions. */
export const bodyFormat = z.enum(['storage', 'markdown']).default('storage');

export type BodyFormat = z.output<typeof bodyFormat>;

export async function toStorage(
  text: string,
  format: BodyFormat,
  confluence: ConfluenceApi,
): Promise<string> {
  if (format !== 'markdown') return toStorageFormat(text);
  const { markdownToStorage } = await loadMarkdown();
  return markdownToStorage(text, { siteUrl: siteUrl(confluence) });
}

/** The site's address (https://acme.atlassian.net), whose page URLs become page links. */
export function siteUrl(confluence: ConfluenceApi): string | undefined {
  return confluence.webUrl('/')?.replace(/\/wiki\/$/, '');
}

/** What it allows (a Markdown write dropping what Markdown cannot rebuild) is said in the instructions. */
export const allowRemoval = z.boolean().default(false);

/** 409 content_loss unless the caller allowed it: a Markdown write that would drop kept elements. */
export async function refuseLoss(merge: MergeResult, allowed: boolean): Promise<void> {
  if (merge.lost.length === 0 || allowed) return;
  const { describeLoss } = await loadMarkdown();
  throw new ApiError(
    'content_loss',
    `Nothing was saved: the Markdown no longer contains ${merge.lost.length === 1 ? 'an element' : `${merge.lost.length} elements`} of the current content that Markdown cannot rebuild: ${describeLoss(merge.lost)}. Keep each of them in the text exactly as get_confluence_page showed it (move it if you like), or send allow_removal: true if removing them is intended.`,
    { details: { lost: merge.lost.map((element) => ({ kind: element.label, markdown: element.markdown })) } },
  );
}
