import { LinkifyIt } from 'linkify-it';
import { describe, expect, it } from 'vitest';
import { markdownToStorage, storageToMarkdown } from '../../../src/markdown/index.ts';
import { inlineToStorage } from '../../../src/markdown/to-storage.ts';
import { wranglerAliases } from '../../../vitest.unit.config.ts';

/**
 * The bundle carries a stand-in for linkify-it (wrangler.toml's [alias]) that refuses every use.
 * These tests run on that stand-in too (vitest.unit.config.ts), so any conversion here or in the
 * other Markdown tests that reached linkify would fail: the stand-in is safe only while that holds.
 */
describe('Markdown without linkify-it', () => {
  it('runs the unit tests on the stand-in the bundle carries, which refuses every use', () => {
    expect(wranglerAliases()['linkify-it']).toMatch(/src\/markdown\/linkify-off\.ts$/);
    const linkify = new LinkifyIt();
    expect(() => linkify.test('https://example.com')).toThrow(/linkify-it is not bundled/);
    expect(() => linkify.matchAtStart('https://example.com')).toThrow(/linkify-it is not bundled/);
  });

  it('keeps bare URLs, www. hosts and e-mail addresses as text, as CommonMark says, without calling it', () => {
    const markdown = [
      'See https://example.com/a?b=1 and http://intranet.local:8080/x, www.example.org or ops@example.com.',
      '',
      '| where | link |',
      '| --- | --- |',
      '| wiki | https://acme.atlassian.net/wiki |',
      '',
      '- ftp://files.example.com and mailto:ops@example.com',
      '- an autolink stays a link: <https://example.com/auto>',
    ].join('\n');
    const storage = markdownToStorage(markdown);
    expect(storage).toContain('See https://example.com/a?b=1 and http://intranet.local:8080/x');
    expect(storage).toContain('www.example.org or ops@example.com.');
    expect(storage).toContain('https://acme.atlassian.net/wiki');
    expect(storage).toContain('<a href="https://example.com/auto">');
    expect(storage.match(/<a /g)).toHaveLength(1);
    expect(inlineToStorage('https://example.com and www.example.org')).toBe(
      'https://example.com and www.example.org',
    );
    expect(storageToMarkdown(storage)).toContain('www.example.org or ops@example.com.');
  });
});
