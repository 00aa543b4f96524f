import { type Kept, renderStorage } from './to-markdown.ts';
import { markdownToStorage } from './to-storage.ts';

/**
 * Writing Markdown over a page that already has a body, losing nothing. The current storage is
 * rendered again (the same rendering the agent read), which gives each top-level block's Markdown
 * and its exact source. Every block whose Markdown reappears unchanged in the new text is written
 * back as its original bytes; only the text in between (what the agent added or edited) is
 * converted, and inside it each kept element (a mention, an image, a macro placeholder) found by
 * its Markdown form becomes its original bytes again.
 */

export interface MergeResult {
  storage: string;
  /** The storage is the current one, byte for byte: nothing to write. */
  unchanged: boolean;
  /** Elements Markdown cannot rebuild that the current body has and the new Markdown does not. */
  lost: Kept[];
}

export function mergeMarkdown(markdown: string, currentStorage: string, siteUrl?: string): MergeResult {
  const current = renderStorage(currentStorage);
  const text = markdown.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  const lost = lostElements(current.kept, text);
  if (text === current.markdown) return { storage: currentStorage, unchanged: true, lost };

  const convert = (gap: string) =>
    gap.trim() === '' ? '' : markdownToStorage(gap, { kept: current.kept, ...(siteUrl && { siteUrl }) });
  let storage = '';
  let at = 0;
  for (const block of current.blocks) {
    const found = findBlock(text, block.markdown, at);
    if (found === -1) continue;
    storage += convert(text.slice(at, found)) + currentStorage.slice(block.start, block.end);
    at = found + block.markdown.length;
  }
  storage += convert(text.slice(at));
  return { storage, unchanged: storage === currentStorage, lost };
}

/**
 * Where `block` stands alone in `text` from `from` on: at the start of a line, ended by a blank
 * line or the end, and with only whole blocks (ending in a blank line) before it since `from`.
 */
function findBlock(text: string, block: string, from: number): number {
  let at = text.indexOf(block, from);
  while (at !== -1) {
    const before = text.slice(from, at);
    const after = text.slice(at + block.length, at + block.length + 64);
    const startsBlock =
      at === from ? from === 0 || /\n\s*$/.test(text.slice(0, at)) : /\n[ \t]*\n\s*$/.test(before);
    const endsBlock = /^(?:[ \t]*\n[ \t]*\n|\s*$)/.test(after) || at + block.length === text.length;
    if (startsBlock && endsBlock) return at;
    at = text.indexOf(block, at + 1);
  }
  return -1;
}

/** Guarded elements whose Markdown form no longer appears anywhere in the new text. */
function lostElements(kept: Kept[], text: string): Kept[] {
  return kept.filter((element) => element.guarded && !text.includes(element.markdown));
}

/** A short list of what would be lost, for an error message: `macro toc "[[toc]]"`. */
export function describeLoss(lost: Kept[]): string {
  const named = lost.slice(0, 10).map((element) => `${element.label} ${element.markdown}`);
  return `${named.join(', ')}${lost.length > 10 ? ` and ${lost.length - 10} more` : ''}`;
}
