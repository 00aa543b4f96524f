import { describe, expect, it } from 'vitest';
import { CORPUS } from '../../../dev/emulator/seed/corpus.ts';
import { mergeMarkdown } from '../../../src/markdown/round-trip.ts';
import { renderStorage } from '../../../src/markdown/to-markdown.ts';
import { storageWords, wordsOf } from '../../support/storage-words.ts';
import { editedLeaf, leavesOf, markdownWith } from './blocks.ts';

/**
 * The storage-format corpus, document by document: the Markdown holds every word of the page's
 * text, reads back to nothing to write, and an edit in any one block (a paragraph in a layout
 * cell, a list in a panel, a diagram's source, a cell of a merged table) changes the bytes of that
 * block alone.
 */

// The 1 MB page repeats the 50 KB one's shapes: its words and its round trip are checked, not each
// block; the 50 KB page's chapters repeat each other, so every 15th of its blocks is edited.
const HUGE = 'Data Platform Archive';
const SAMPLED = 'Data Platform Handbook';
const documents = CORPUS.map((document) => ({ ...document, rendering: renderStorage(document.body) }));

describe('the Markdown of each corpus document', () => {
  it.each(documents)('shows every word of the text of "$title"', ({ body, rendering }) => {
    const shown = new Set(wordsOf(rendering.markdown));
    const missing = storageWords(body).filter((word) => !shown.has(word));
    expect(missing).toEqual([]);
  });

  it.each(documents)('of "$title" written back unchanged writes nothing', ({ body, rendering }) => {
    expect(mergeMarkdown(rendering.markdown, body)).toEqual({ storage: body, unchanged: true, lost: [] });
  });

  it.each(documents.filter((d) => d.title !== HUGE))(
    'of "$title" edited in any one block changes that block alone, byte for byte',
    ({ title, body, rendering }) => {
      expect(markdownWith(rendering.blocks)).toBe(rendering.markdown);
      let edits = 0;
      const leaves = leavesOf(rendering.blocks);
      for (const leaf of title === SAMPLED ? leaves.filter((_, n) => n % 15 === 0) : leaves) {
        const replacement = editedLeaf(leaf);
        if (replacement === undefined) continue;
        const edited = markdownWith(rendering.blocks, leaf, replacement);
        const { storage, unchanged, lost } = mergeMarkdown(edited, body);
        const where = `editing ${JSON.stringify(leaf.markdown.slice(0, 60))}`;
        expect(lost, where).toEqual([]);
        expect(unchanged, where).toBe(false);
        expect(storage.slice(0, leaf.start), where).toBe(body.slice(0, leaf.start));
        expect(storage.slice(storage.length - (body.length - leaf.end)), where).toBe(body.slice(leaf.end));
        expect(renderStorage(storage).markdown, where).toBe(edited);
        edits++;
      }
      expect(edits).toBeGreaterThan(0);
    },
  );
});
