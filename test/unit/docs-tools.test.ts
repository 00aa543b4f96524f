/**
 * docs/tools.md is generated from the tool registry (`npm run docs:tools`): a tool added, renamed or
 * redescribed without regenerating it fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstSentence, renderToolsDoc } from '../../scripts/tools-doc.ts';
import { tools } from '../../src/tools/registry.ts';

describe('docs/tools.md', () => {
  it('is exactly what the registry renders (run `npm run docs:tools` after changing a tool)', () => {
    expect(readFileSync('docs/tools.md', 'utf8')).toBe(renderToolsDoc());
  });

  it('lists every tool of the registry once, with its title', () => {
    const doc = renderToolsDoc();
    for (const tool of tools) {
      expect(doc.split(`| \`${tool.name}\` |`).length - 1, tool.name).toBe(1);
      expect(doc).toContain(`| ${tool.title} |`);
    }
  });

  it('changes when a tool is redescribed, so a stale file cannot pass', () => {
    const [first, ...rest] = tools;
    if (!first) throw new Error('the registry is empty');
    const redescribed = { ...first, description: 'Something else entirely. More.' };
    expect(renderToolsDoc([redescribed, ...rest])).not.toBe(renderToolsDoc());
    expect(renderToolsDoc([redescribed, ...rest])).toContain('| Something else entirely. |');
  });
});

describe('the toolset column', () => {
  it('gives each tool its toolset in a column of its own', () => {
    const doc = renderToolsDoc();
    expect(doc).toContain('| tool | toolset | title | what it does |');
    for (const tool of tools) expect(doc).toContain(`| \`${tool.name}\` | ${tool.toolset} | ${tool.title} |`);
  });
});

describe('firstSentence', () => {
  it('ends at the first full stop that ends a sentence, not at an abbreviation', () => {
    expect(firstSentence('Add labels, e.g. to mark it reviewed. Labels stay.')).toBe(
      'Add labels, e.g. to mark it reviewed.',
    );
    expect(firstSentence('One line\n  wrapped. Two.')).toBe('One line wrapped.');
    expect(firstSentence('No stop at all')).toBe('No stop at all');
  });
});
