import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/tools/line-diff.ts';

const lines = (text: string) => text.split('\n');

describe('unifiedDiff', () => {
  it('answers an empty text for equal texts', () => {
    expect(unifiedDiff(['a', 'b'], ['a', 'b'], ['v1', 'v2'])).toEqual({ text: '', added: 0, removed: 0 });
  });

  it('shows a changed line with three lines of context in a diff -u hunk', () => {
    const before = lines('1\n2\n3\n4\n5\n6\n7\n8\n9');
    const after = lines('1\n2\n3\n4\nfive\n6\n7\n8\n9');
    const diff = unifiedDiff(before, after, ['version 1', 'version 2']);
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(1);
    const text = diff.text.split('\n');
    expect(text.slice(0, 3)).toEqual(['--- version 1', '+++ version 2', '@@ -2,7 +2,7 @@']);
    expect(text.slice(3, 6)).toEqual([' 2', ' 3', ' 4']);
    expect(text.slice(6, 8).sort()).toEqual(['+five', '-5']);
    expect(text.slice(8)).toEqual([' 6', ' 7', ' 8']);
  });

  it('finds the shortest edit: an inserted line is one addition, not a rewrite', () => {
    const diff = unifiedDiff(lines('a\nb\nc\nd'), lines('a\nb\nx\nc\nd'), ['a', 'b']);
    expect(diff).toMatchObject({ added: 1, removed: 0 });
    expect(diff.text).toContain('\n+x\n');
  });

  it('counts every line of a text written from nothing or emptied', () => {
    expect(unifiedDiff([], ['a', 'b'], ['a', 'b'])).toMatchObject({ added: 2, removed: 0 });
    expect(unifiedDiff(['a', 'b', 'c'], [], ['a', 'b'])).toMatchObject({ added: 0, removed: 3 });
  });

  it('answers a complete rewrite of thousands of lines as one replaced block, quickly', () => {
    const before = Array.from({ length: 5_000 }, (_, i) => `old ${i}`);
    const after = Array.from({ length: 5_000 }, (_, i) => `new ${i}`);
    const started = performance.now();
    const diff = unifiedDiff(before, after, ['a', 'b']);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(diff).toMatchObject({ added: 5_000, removed: 5_000 });
  });
});
