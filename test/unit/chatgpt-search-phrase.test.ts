/** The words of ChatGPT's search as one CQL phrase: always valid CQL, whatever the words hold. */
import { describe, expect, it } from 'vitest';
import { phrase } from '../../src/tools/chatgpt-search.ts';

describe('phrase', () => {
  it('escapes quotes and keeps the words', () => {
    expect(phrase('the "blue" runbook')).toBe('the \\"blue\\" runbook');
  });

  it('turns backslashes, which CQL reads as escapes, into spaces', () => {
    expect(phrase('C:\\deploy\\')).toBe('C: deploy');
  });

  it('drops leading wildcards, which Confluence refuses, and keeps inner ones', () => {
    expect(phrase('*deploy ?ment run*')).toBe('deploy ment run*');
  });

  it('leaves nothing of a query that is only wildcards', () => {
    expect(phrase(' ** \\ ')).toBe('');
  });
});
