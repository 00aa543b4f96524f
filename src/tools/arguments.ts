import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';

/** Argument schemas several tools share, described for an LLM. */

const numericId = (what: string, example: string) =>
  z.string().regex(/^\d+$/, `expected the numeric ${what} as a string, e.g. "${example}"`);

export const pageId = numericId('page id', '65538');

export const commentId = numericId('comment id', '65901');

/**
 * The version an agent read, for writes that must not act on a page changed since. What to send
 * (page.version.number) is said once, in the instructions.
 */
export const versionNumber = () => z.number().int().min(1);

/** A space by id or by key, one of the two (oneSpace): said once, in the instructions. */
export const spaceId = numericId('space id', '98305');

export const spaceKey = z.string().min(1).max(255);

export const limit = z.number().int().min(1).max(250).default(25);

/** Paging is said once, in the instructions: cursor = the next_cursor of the previous answer. */
export const cursor = z.string().min(1).optional();

/** Object-level check for tools that take a space: exactly one of space_id and space_key. */
export function oneSpace(args: { space_id?: string; space_key?: string }, ctx: z.RefinementCtx): void {
  if (args.space_id === undefined && args.space_key === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['space_id'],
      message:
        'required: give space_id (the numeric id from get_confluence_spaces) or space_key (e.g. "ENG")',
    });
  } else if (args.space_id !== undefined && args.space_key !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['space_key'],
      message: 'give either space_id or space_key, not both',
    });
  }
}

/** The space id the arguments name, looking a key up when that is what was given. */
export function resolveSpaceId(
  confluence: ConfluenceApi,
  args: { space_id?: string; space_key?: string },
): Promise<string> | string {
  return args.space_id ?? confluence.spaceIdForKey(args.space_key as string);
}

/** The body rule (confluence/body.ts), in the words an agent reads: said once, in the instructions. */
export const BODY_RULE =
  'A storage body is HTML / Confluence storage format when it starts with a tag (e.g. "<h2>Steps</h2><ul><li>…</li></ul>"; sent unchanged, so close every tag: <br/>), otherwise plain text, escaped and split into <p> paragraphs at blank lines.';

export const bodyText = (what: string) => z.string().max(5_000_000).describe(`${what}, in body_format.`);
