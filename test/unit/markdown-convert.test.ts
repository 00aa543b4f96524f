import { describe, expect, it } from 'vitest';
import { markdownToStorage, mergeMarkdown, sectionsOf, storageToMarkdown } from '../../src/markdown/index.ts';

/** The converter on its own: the storage-format details an HTML5 parser would get wrong. */

describe('storage → Markdown', () => {
  it('decodes HTML named and numeric entities, which XML alone does not know', () => {
    expect(storageToMarkdown('<p>caf&eacute;&nbsp;&rsquo; &#8212; &#x2019; a &lt; b &amp;&amp; c</p>')).toBe(
      'café\u00a0’ — ’ a < b && c',
    );
  });

  it('joins CDATA sections split at ]]> back into one code block', () => {
    const storage =
      '<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[a[b[0]]]]><![CDATA[>1]]></ac:plain-text-body></ac:structured-macro>';
    expect(storageToMarkdown(storage)).toBe('```\na[b[0]]>1\n```');
    expect(markdownToStorage('```\na[b[0]]>1\n```')).toContain('<![CDATA[a[b[0]]]]><![CDATA[>1]]>');
  });

  it('reads self-closing ri: elements as the link they are', () => {
    expect(storageToMarkdown('<p><ac:link><ri:page ri:content-title="Deploy Runbook" /></ac:link></p>')).toBe(
      '[Deploy Runbook](<page:Deploy Runbook>)',
    );
  });

  it('escapes text that would otherwise read as Markdown, and reads it back as the same text', () => {
    const storage = '<p>1. not a list, *not emphasis*, [not a link](x) and &lt;b&gt;</p>';
    const markdown = storageToMarkdown(storage);
    expect(markdown).toBe('1\\. not a list, \\*not emphasis\\*, \\[not a link\\](x) and \\<b>');
    expect(markdownToStorage(markdown)).toBe(
      '<p>1. not a list, *not emphasis*, [not a link](x) and &lt;b&gt;</p>',
    );
  });

  it('gives two alike macros distinct placeholders', () => {
    const toc = '<ac:structured-macro ac:name="toc" />';
    expect(storageToMarkdown(`${toc}<p>x</p>${toc}`)).toBe('[[toc]]\n\nx\n\n[[toc #2]]');
  });
});

describe('Markdown → storage with memory', () => {
  it('puts a kept inline element back byte for byte inside an edited paragraph', () => {
    const mention = '<ac:link><ri:user ri:account-id="abc"   /></ac:link>';
    const storage = `<p>Ask ${mention} today.</p><p>Other.</p>`;
    const { storage: written, unchanged } = mergeMarkdown('Ask @user:abc tomorrow.\n\nOther.', storage);
    expect(unchanged).toBe(false);
    expect(written).toBe(`<p>Ask ${mention} tomorrow.</p><p>Other.</p>`);
  });

  it('keeps whitespace, comments and empty paragraphs between untouched blocks', () => {
    const storage = '<h1>T</h1>\n<!-- note -->\n<p>a</p><p />\n<p>b</p>\n';
    expect(mergeMarkdown('# T\n\na\n\nb', storage)).toMatchObject({ storage, unchanged: true });
    expect(mergeMarkdown('# T\n\na\n\nc', storage).storage).toBe(
      '<h1>T</h1>\n<!-- note -->\n<p>a</p><p />\n<p>c</p>',
    );
  });
});

describe('sections', () => {
  it('runs a section to the next heading of its level or higher', () => {
    const storage = '<h1>A</h1><p>1</p><h2>B</h2><p>2</p><h3>C</h3><p>3</p><h2>D</h2><p>4</p>';
    const byName = Object.fromEntries(
      sectionsOf(storage).map((s) => [s.heading.text, storage.slice(s.contentStart, s.end)]),
    );
    expect(byName).toEqual({
      A: '<p>1</p><h2>B</h2><p>2</p><h3>C</h3><p>3</p><h2>D</h2><p>4</p>',
      B: '<p>2</p><h3>C</h3><p>3</p>',
      C: '<p>3</p>',
      D: '<p>4</p>',
    });
  });
});
