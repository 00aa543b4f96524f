import { describe, expect, it } from 'vitest';
import { maxChars, offset, sliceContent } from '../../src/tools/slicing.ts';

describe('sliceContent', () => {
  it('answers max characters from offset and where the rest starts', () => {
    expect(sliceContent('abcdefghij', 0, 4)).toEqual({ text: 'abcd', next: 4 });
    expect(sliceContent('abcdefghij', 4, 4)).toEqual({ text: 'efgh', next: 8 });
  });

  it('leaves next out on the last slice', () => {
    expect(sliceContent('abcdefghij', 8, 4)).toEqual({ text: 'ij' });
    expect(sliceContent('abc', 0, 3)).toEqual({ text: 'abc' });
    expect(sliceContent('abc', 3, 3)).toEqual({ text: '' });
  });

  it('never ends a slice between the halves of a surrogate pair', () => {
    const text = 'ab😀cd';
    expect(sliceContent(text, 0, 3)).toEqual({ text: 'ab', next: 2 });
    expect(sliceContent(text, 2, 3)).toEqual({ text: '😀c', next: 5 });
    // Reassembled slice by slice, the text comes back whole.
    let rebuilt = '';
    let at: number | undefined = 0;
    while (at !== undefined) {
      const slice = sliceContent(text, at, 3);
      rebuilt += slice.text;
      at = slice.next;
    }
    expect(rebuilt).toBe(text);
  });

  it('always moves forward: a one-character slice at a surrogate pair carries the whole pair', () => {
    // Backing off the pair would answer an empty slice whose next_offset is the offset asked for,
    // and an agent reading slice by slice would ask for it again forever.
    expect(sliceContent('😀x', 0, 1)).toEqual({ text: '😀', next: 2 });
    const text = 'a😀😀b';
    const slices: string[] = [];
    let at: number | undefined = 0;
    while (at !== undefined && slices.length <= text.length) {
      const slice = sliceContent(text, at, 1);
      slices.push(slice.text);
      at = slice.next;
    }
    expect(slices).toEqual(['a', '😀', '😀', 'b']);
  });
});

describe('the slice arguments', () => {
  it('default to 20000 characters from 0, and refuse what is out of range', () => {
    expect(maxChars().parse(undefined)).toBe(20_000);
    expect(offset().parse(undefined)).toBe(0);
    expect(maxChars().safeParse(0).success).toBe(false);
    expect(maxChars().safeParse(200_001).success).toBe(false);
    expect(offset().safeParse(-1).success).toBe(false);
    expect(offset().safeParse(1.5).success).toBe(false);
  });
});
