import { describe, expect, it } from 'vitest';
import { setBounded } from '../../src/lib/bounded-map.ts';

describe('setBounded', () => {
  it('holds at most max entries, dropping the one stored longest ago', () => {
    const map = new Map<string, number>();
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) setBounded(map, key, index, 3);
    expect([...map.keys()]).toEqual(['b', 'c', 'd']);
  });

  it('counts a key stored again as the newest, without dropping another for it', () => {
    const map = new Map<string, number>();
    setBounded(map, 'a', 1, 2);
    setBounded(map, 'b', 2, 2);
    setBounded(map, 'a', 3, 2);
    expect([...map.entries()]).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
    setBounded(map, 'c', 4, 2);
    expect([...map.keys()]).toEqual(['a', 'c']);
  });
});
