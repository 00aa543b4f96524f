import { describe, expect, it } from 'vitest';
import { xhtmlProblem } from '../../../dev/emulator/confluence/xhtml-check.ts';
import { CORPUS } from '../../../dev/emulator/seed/corpus.ts';
import { mergeMarkdown, storageToMarkdown } from '../../../src/markdown/index.ts';

/**
 * Edits an agent might make without care (a line dropped, doubled, moved or added anywhere,
 * markers included) never make a write that Confluence would refuse: whatever the Markdown, the
 * merged storage is well-formed XHTML and reads again.
 */

/** A small deterministic generator, so a failure names an edit that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const EDITS = [
  (lines: string[], at: number) => lines.splice(at, 1),
  (lines: string[], at: number) => lines.splice(at, 0, lines[at] ?? ''),
  (lines: string[], at: number) => lines.splice(at, 0, 'A line an agent added.'),
  (lines: string[], at: number) => lines.splice(at, 2, ...lines.slice(at, at + 2).reverse()),
  (lines: string[], at: number) => {
    lines[at] = `${lines[at] ?? ''} and more`;
  },
];

// The 50 KB and 1 MB pages repeat the shapes of the others: they are left to the corpus test.
const documents = CORPUS.filter((document) => document.body.length < 20_000);

describe('careless edits of each corpus document', () => {
  it.each(documents)('of "$title" always merge into well-formed storage', ({ body }) => {
    const markdown = storageToMarkdown(body);
    const next = random(body.length);
    for (let round = 0; round < 40; round++) {
      const lines = markdown.split('\n');
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e++) {
        const edit = EDITS[Math.floor(next() * EDITS.length)] as (typeof EDITS)[number];
        edit(lines, Math.floor(next() * lines.length));
      }
      const edited = lines.join('\n');
      const { storage } = mergeMarkdown(edited, body);
      expect(xhtmlProblem(storage), `round ${round}:\n${edited}`).toBeUndefined();
      expect(() => storageToMarkdown(storage)).not.toThrow();
    }
  });
});
