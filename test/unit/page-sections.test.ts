import { describe, expect, it } from 'vitest';
import { CORPUS } from '../../dev/emulator/seed/corpus.ts';
import { ApiError } from '../../src/lib/errors.ts';
import { matchSections, readMarkdown, readSections, sectionsOf } from '../../src/markdown/index.ts';
import { outlineOf, pickSection } from '../../src/tools/page-sections.ts';

const RUNBOOK =
  '<h1>Runbook</h1><p>Intro.</p><h2>Deploy</h2><p>Step one.</p><h3>Canary</h3><p>Watch the graphs.</p>' +
  '<h2>Rollback</h2><ul><li>Undo it.</li></ul>';

describe("a page's outline", () => {
  it('lists every heading with its level and the Markdown size of its section', () => {
    const { sections } = readSections(RUNBOOK);
    expect(outlineOf(sections, 'markdown')).toEqual([
      {
        level: 1,
        heading: 'Runbook',
        chars: readMarkdown(RUNBOOK.slice(RUNBOOK.indexOf('<p>Intro'))).markdown.length,
      },
      { level: 2, heading: 'Deploy', chars: 'Step one.\n\n### Canary\n\nWatch the graphs.'.length },
      { level: 3, heading: 'Canary', chars: 'Watch the graphs.'.length },
      { level: 2, heading: 'Rollback', chars: '- Undo it.'.length },
    ]);
  });

  it('gives the storage size of each section in storage format', () => {
    const { sections } = readSections(RUNBOOK);
    const rollback = outlineOf(sections, 'storage').find((entry) => entry.heading === 'Rollback');
    expect(rollback?.chars).toBe('<ul><li>Undo it.</li></ul>'.length);
  });

  it('finds the same sections as the section edit does', () => {
    for (const document of CORPUS.filter((d) => d.body.length < 500_000)) {
      const read = readSections(document.body).sections.map(({ heading, contentStart, end }) => ({
        heading,
        contentStart,
        end,
      }));
      const written = sectionsOf(document.body).map(({ heading, contentStart, end }) => ({
        heading,
        contentStart,
        end,
      }));
      expect(read, document.title).toEqual(written);
    }
  });

  it("says the size of every corpus section as its read gives it, within a macro's numbering", () => {
    let exact = 0;
    let all = 0;
    for (const document of CORPUS) {
      for (const section of readSections(document.body).sections) {
        const read = readMarkdown(document.body.slice(section.contentStart, section.end)).markdown;
        all += 1;
        if (read.length === section.markdownChars) exact += 1;
        // A macro named by its place in the page (the second of two) reads a few characters shorter alone.
        expect(Math.abs(read.length - section.markdownChars), section.heading.text).toBeLessThanOrEqual(8);
      }
    }
    expect(exact / all).toBeGreaterThan(0.99);
  });
});

describe('a section named by its heading', () => {
  const sections = sectionsOf(RUNBOOK);
  const pick = (heading: string, purpose: 'read' | 'write') =>
    pickSection(sections, matchSections(sections, heading), heading, purpose);

  it('is found by its exact text, or ignoring case, spacing and leading #s', () => {
    expect(pick('Canary', 'read').heading).toEqual({ level: 3, text: 'Canary' });
    expect(pick('## rollback ', 'write').heading.text).toBe('Rollback');
  });

  it('that matches nothing is refused with the headings, pointing a read to slices and a write to a whole update', () => {
    const refusal = (purpose: 'read' | 'write') => {
      try {
        pick('Nowhere', purpose);
      } catch (error) {
        return error as ApiError;
      }
      throw new Error('not refused');
    };
    const read = refusal('read');
    expect(read).toBeInstanceOf(ApiError);
    expect(read.code).toBe('invalid_arguments');
    expect(read.details).toEqual({ headings: ['# Runbook', '## Deploy', '### Canary', '## Rollback'] });
    expect(read.message).not.toMatch(/saved/);
    const twice = sectionsOf('<h2>Steps</h2><p>one</p><h2>Steps</h2><p>two</p>');
    expect(() => pickSection(twice, matchSections(twice, 'Steps'), 'Steps', 'read')).toThrow(
      /2 headings of the page read "Steps".*read the page with offset instead/,
    );
    expect(refusal('write').message).toMatch(/Nothing was saved\.$/);
  });
});
