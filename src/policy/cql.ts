import { ApiError } from '../lib/errors.ts';

/**
 * Confines an agent's CQL to some spaces: `space in ("A","B") AND (<agent's condition>) [order by …]`.
 *
 * The wrapper only holds if the agent's text cannot close the parenthesis it is put in, so enough of
 * CQL is read here to be sure of that: quoted phrases (where parentheses mean nothing), the nesting
 * of parentheses (never below zero, back to zero at the end) and a trailing `order by`, which must
 * stay outside the parentheses and may hold nothing but sort fields. Whatever might be read one way
 * here and another way by Confluence is refused rather than guessed at: a backslash outside a phrase,
 * or inside one before anything but a quote (so `\\"` cannot end a phrase for one reader and not the
 * other).
 */
export function confineCql(cql: string, spaceKeys: readonly string[]): string {
  const { condition, orderBy } = splitOrderBy(cql);
  if (condition === '') refuse('there is no condition before "order by"; add one, e.g. type = page');
  // Space keys are letters, digits, "~", ":", "_" and "-" (policy/input.ts): safe inside quotes.
  const spaces = spaceKeys.map((key) => `"${key}"`).join(',');
  return `space in (${spaces}) AND (${condition})${orderBy ? ` ${orderBy}` : ''}`;
}

const ORDER_BY =
  /^order\s+by\s+[A-Za-z][\w.]*(?:\s+(?:asc|desc))?(?:\s*,\s*[A-Za-z][\w.]*(?:\s+(?:asc|desc))?)*$/i;

function splitOrderBy(cql: string): { condition: string; orderBy: string | undefined } {
  let depth = 0;
  let quote: string | undefined;
  let orderAt: number | undefined;
  for (let i = 0; i < cql.length; i++) {
    const ch = cql[i] as string;
    if (quote) {
      if (ch === '\\') {
        if (cql[i + 1] !== '"' && cql[i + 1] !== "'") {
          refuse('inside a quoted phrase a backslash may only escape a quote (\\" or \\\')');
        }
        i++;
      } else if (ch === quote) {
        quote = undefined;
      }
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '\\') {
      refuse('a backslash is only allowed inside a quoted phrase, before a quote');
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')') {
      depth--;
      if (depth < 0) refuse(`the ")" at position ${i} closes a parenthesis that was never opened`);
    } else if (orderAt === undefined && depth === 0 && startsOrderBy(cql, i)) {
      orderAt = i;
    }
  }
  if (quote) refuse(`a quoted phrase is not closed (add the closing ${quote})`);
  if (depth > 0) refuse(`${depth} parenthesis${depth > 1 ? 'es are' : ' is'} not closed`);
  if (orderAt === undefined) return { condition: cql.trim(), orderBy: undefined };
  const orderBy = cql.slice(orderAt).trim();
  if (!ORDER_BY.test(orderBy)) {
    refuse(
      '"order by" must come last and name only fields, each optionally asc or desc, e.g. order by lastmodified desc, title',
    );
  }
  return { condition: cql.slice(0, orderAt).trim(), orderBy };
}

/** Whether the words "order by" start at `i`, as words (not inside another word). */
function startsOrderBy(cql: string, i: number): boolean {
  if (i > 0 && WORD_CHAR.test(cql[i - 1] as string)) return false;
  ORDER_BY_WORDS.lastIndex = i;
  return ORDER_BY_WORDS.test(cql);
}

/** What CQL counts as part of an unquoted word. */
const WORD_CHAR = /[\w.:\-/+]/;
const ORDER_BY_WORDS = /order\s+by(?![\w.:\-/+])/iy;

function refuse(reason: string): never {
  throw new ApiError(
    'invalid_arguments',
    `This search is confined to some spaces, so its CQL must be one that can be confined safely: ${reason}.`,
  );
}
