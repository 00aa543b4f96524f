import { describe, expect, it } from 'vitest';
import { markdownToStorage, storageToMarkdown } from '../../../src/markdown/index.ts';

/** Layout and table marker lines in Markdown written fresh: a new page gets the layout or table they mark. */

describe('layout and table markers written fresh', () => {
  it('become a layout, section by section, each cell converted on its own', () => {
    const markdown = [
      '[[layout section 1 of 2: single, cell 1 of 1]]',
      '# Team home',
      '[[layout section 2 of 2: two_left_sidebar, cell 1 of 2]]',
      '- Alice',
      '[[layout section 2 of 2: two_left_sidebar, cell 2 of 2]]',
      '> [!TIP]\n> Ask in #team.',
      '[[/layout]]',
    ].join('\n\n');
    const storage = markdownToStorage(markdown);
    expect(storage).toBe(
      '<ac:layout><ac:layout-section ac:type="single"><ac:layout-cell><h1>Team home</h1></ac:layout-cell></ac:layout-section>' +
        '<ac:layout-section ac:type="two_left_sidebar"><ac:layout-cell><ul><li>Alice</li></ul></ac:layout-cell>' +
        '<ac:layout-cell><ac:structured-macro ac:name="tip" ac:schema-version="1"><ac:rich-text-body><p>Ask in #team.</p></ac:rich-text-body></ac:structured-macro></ac:layout-cell>' +
        '</ac:layout-section></ac:layout>',
    );
    expect(storageToMarkdown(storage)).toBe(markdown);
  });

  it('become a table with its spans, and a table nested in a cell', () => {
    const markdown = [
      '[[table row 1 of 2, cell 1 of 1, spans 2 columns]]',
      'Quarter',
      '[[table row 2 of 2, cell 1 of 2]]',
      '[[table row 1 of 1, cell 1 of 1]]',
      '- inner',
      '[[/table]]',
      '[[table row 2 of 2, cell 2 of 2]]',
      'Later',
      '[[/table]]',
    ].join('\n\n');
    const storage = markdownToStorage(markdown);
    expect(storage).toBe(
      '<table><tbody><tr><td colspan="2"><p>Quarter</p></td></tr><tr>' +
        '<td><table><tbody><tr><td><ul><li>inner</li></ul></td></tr></tbody></table></td><td><p>Later</p></td>' +
        '</tr></tbody></table>',
    );
    expect(storageToMarkdown(storage)).toBe(markdown);
  });

  it('stay text when the closing line is missing, or inside fenced code', () => {
    expect(markdownToStorage('[[layout section 1 of 1: single, cell 1 of 1]]\n\nHello')).toBe(
      '<p>[[layout section 1 of 1: single, cell 1 of 1]]</p><p>Hello</p>',
    );
    expect(markdownToStorage('```\n[[table row 1 of 1, cell 1 of 1]]\nx\n[[/table]]\n```')).toContain(
      '<![CDATA[[[table row 1 of 1, cell 1 of 1]]\nx\n[[/table]]]]>',
    );
  });
});
