import * as z from 'zod';

/**
 * Long text (a page body, a text attachment, a diff) goes out in slices an agent asks for one after
 * the other: `max_chars` characters from `offset`, with `next_offset` where the rest starts. Both
 * arguments are explained once, in the instructions, not in every tool that takes them.
 */
export const maxChars = (fallback = 20_000) => z.number().int().min(1).max(200_000).default(fallback);

export const offset = () => z.number().int().min(0).default(0);

/**
 * `max` characters from `offset`, never splitting a surrogate pair; `next` is where the rest starts.
 * A slice always moves forward: where ending before a pair would leave it empty, it takes the pair
 * (one character over `max`).
 */
export function sliceContent(content: string, offset: number, max: number): { text: string; next?: number } {
  let end = Math.min(content.length, offset + max);
  if (end < content.length && end > offset && isHighSurrogate(content.charCodeAt(end - 1))) {
    end += end - 1 > offset ? -1 : 1;
  }
  const text = content.slice(offset, end);
  return end < content.length ? { text, next: end } : { text };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
