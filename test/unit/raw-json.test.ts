import { describe, expect, it } from 'vitest';
import { parseKeepingLargeStrings } from '../../src/confluence/raw-json.ts';

describe('parseKeepingLargeStrings', () => {
  // Escapes JSON.stringify would write differently: \/ \u00e9 \u003c, plus quotes and newlines.
  const body = `<p class=\\"x\\">caf\\u00e9 \\u003cb\\u003e<\\/p>\\n${'<td>"cell"</td>'.replace(/"/g, '\\"').repeat(400)}`;
  const text = `{"id":"1","body":{"storage":{"representation":"storage","value":"${body}"}}}`;

  it('re-serialises a large string exactly as it was encoded, with the same value', () => {
    const { value, encoded } = parseKeepingLargeStrings<{ body: { storage: { value: string } } }>(text);
    const content = value.body.storage.value;
    const answer = JSON.stringify({ content: encoded(content) });
    expect(answer).toBe(`{"content":"${body}"}`);
    expect(JSON.parse(answer).content).toBe(content);
  });

  it('leaves small strings, and strings it did not parse, to ordinary serialisation', () => {
    const { value, encoded } = parseKeepingLargeStrings<{ id: string }>(text);
    expect(encoded(value.id)).toBe('1');
    expect(encoded('elsewhere')).toBe('elsewhere');
  });

  it('keeps no sources for a text longer than the caller can use whole', () => {
    const { value, encoded } = parseKeepingLargeStrings<{ body: { storage: { value: string } } }>(text, 100);
    expect(encoded(value.body.storage.value)).toBe(value.body.storage.value);
  });
});
