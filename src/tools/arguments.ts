import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';

/** Argument schemas several tools share, described for an LLM. */

const numericId = (what: string, example: string) =>
  z.string().regex(/^\d+$/, `expected the numeric ${what} as a string, e.g. "${example}"`);

export const pageId = numericId('page id', '65538').describe(
  'The numeric page id, as a string (e.g. "65538"). Find it with search_confluence_pages or get_confluence_space_pages.',
);

export const commentId = numericId('comment id', '65901');

/** The version an agent read, for writes that must not act on a page changed since. */
export const versionNumber = (effect: string) =>
  z
    .number()
    .int()
    .min(1)
    .describe(
      `The page.version.number you read with get_confluence_page: ${effect} is refused with version_conflict if the page has changed since.`,
    );

export const spaceId = numericId('space id', '98305').describe(
  'The numeric space id, as a string (e.g. "98305"): the "id" from get_confluence_spaces, not the key. Give space_id or space_key.',
);

export const spaceKey = z
  .string()
  .min(1)
  .max(255)
  .describe(
    'The space key instead of its id (e.g. "ENG", or "~accountid" for a personal space). Give space_id or space_key.',
  );

export const limit = z
  .number()
  .int()
  .min(1)
  .max(250)
  .default(25)
  .describe(
    "How many results to return on this page: 1 to 250, default 25. Each result costs a point of the app's hourly Atlassian quota, shared by every user (limit 250 costs up to 251): ask for what you need, and page on with cursor only if you must.",
  );

export const cursor = z
  .string()
  .min(1)
  .optional()
  .describe(
    'To get the next page, the next_cursor of the previous answer, unchanged (keep the other arguments the same). Omit for the first page.',
  );

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

/** The body rule (confluence/body.ts), in the words an agent reads. */
export const BODY_RULE =
  'HTML / Confluence storage format when it starts with a tag (e.g. "<h2>Steps</h2><ul><li>…</li></ul>"; it is sent unchanged, so close every tag: <br/>); otherwise plain text, which is escaped, split into <p> paragraphs at blank lines, with single line breaks kept as <br/>.';

export const bodyText = (what: string) => z.string().max(5_000_000).describe(`${what}: ${BODY_RULE}`);
