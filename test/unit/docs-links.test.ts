/**
 * Every relative link and anchor of README.md and docs/ resolves: a section renamed or a file moved
 * without its links fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, brokenLinks, linkTargets, missingPaths, slug } from '../../scripts/markdown-links.ts';

function markdownFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

const files = ['README.md', ...markdownFiles('docs')];

describe('the links of README.md and docs/', () => {
  it('checks the README and every page of docs/', () => {
    expect(files).toContain('docs/api.md');
    expect(files).toContain('docs/reference/CONTRACT.md');
    expect(linkTargets(readFileSync('README.md', 'utf8')).length).toBeGreaterThan(10);
  });

  it.each(files)('%s: every relative link and anchor resolves', (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it.each(files.filter((file) => !file.startsWith('docs/reference/')))(
    '%s: every file or folder of the repository it names exists',
    (file) => {
      expect(missingPaths(file)).toEqual([]);
    },
  );
});

describe('the link checker', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Forwarded connect links (`require_confirmation`)')).toBe(
      'forwarded-connect-links-require_confirmation',
    );
    expect(slug('Adding the gateway to an MCP client (sign in with Atlassian)')).toBe(
      'adding-the-gateway-to-an-mcp-client-sign-in-with-atlassian',
    );
    expect(slug('1. Get a URL and a secret')).toBe('1-get-a-url-and-a-secret');
    expect(slug('Storage → Markdown')).toBe('storage--markdown');
  });

  it('numbers repeated headings and keeps explicit anchors', () => {
    const found = anchors(
      '# A\n## Try it\n## Try it\n<a id="key-rotation"></a>**Key**\n```\n# not a heading\n```\n',
    );
    expect([...found]).toEqual(['a', 'try-it', 'try-it-1', 'key-rotation']);
  });

  it('reports a repository path that does not exist, and not a URL that looks like one', () => {
    const text = 'See `src/tools/registry.ts`, src/no-such-file.ts and https://example.com/src/x.ts.';
    expect(missingPaths('README.md', text)).toEqual(['README.md: src/no-such-file.ts does not exist']);
  });

  it('reports a missing file and a missing anchor, and ignores links in code', () => {
    const text =
      '[gone](no-such-file.md) [self](#nowhere) [ok](#here) `[code](#x)` [web](https://example.com)\n## Here\n';
    expect(brokenLinks('README.md', text)).toEqual([
      'README.md: no-such-file.md: no file no-such-file.md',
      'README.md: #nowhere: no heading or anchor "nowhere" in README.md',
    ]);
  });
});
