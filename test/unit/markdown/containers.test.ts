import { describe, expect, it } from 'vitest';
import { markdownToStorage, mergeMarkdown, readMarkdown, sectionsOf } from '../../../src/markdown/index.ts';

/**
 * Containers one by one: layouts, complex tables, macro bodies, panels and plain-text bodies read
 * as Markdown between markers, and a write keeps each wrapper's bytes around the edited content.
 */

const cell = (content: string) => `<ac:layout-cell>${content}</ac:layout-cell>`;
const LAYOUT =
  '<ac:layout>' +
  `<ac:layout-section ac:type="single" ac:breakout-mode="wide">${cell('<h1 local-id="h1">Team home</h1><p>About us.</p>')}</ac:layout-section>` +
  `<ac:layout-section ac:type="two_equal">${cell('<h2>Members</h2><ul><li>Alice</li></ul>')}${cell('<h2>Links</h2><p>Runbooks</p>')}</ac:layout-section>` +
  '</ac:layout>';

const LAYOUT_MARKDOWN = [
  '[[layout section 1 of 2: single, cell 1 of 1]]',
  '# Team home',
  'About us.',
  '[[layout section 2 of 2: two_equal, cell 1 of 2]]',
  '## Members',
  '- Alice',
  '[[layout section 2 of 2: two_equal, cell 2 of 2]]',
  '## Links',
  'Runbooks',
  '[[/layout]]',
].join('\n\n');

describe('a layout', () => {
  it('reads as its cells in order, each under a marker naming its section type and place', () => {
    expect(readMarkdown(LAYOUT)).toEqual({ markdown: LAYOUT_MARKDOWN, omitted: [] });
  });

  it('edited in one cell changes that cell alone, every layout attribute kept', () => {
    const { storage, lost } = mergeMarkdown(LAYOUT_MARKDOWN.replace('- Alice', '- Alice\n- Bob'), LAYOUT);
    expect(lost).toEqual([]);
    expect(storage).toBe(LAYOUT.replace('<li>Alice</li></ul>', '<li>Alice</li><li>Bob</li></ul>'));
  });

  it('takes a paragraph added at the end of a cell into that cell', () => {
    const edited = LAYOUT_MARKDOWN.replace('Runbooks\n\n', 'Runbooks\n\nOn-call rota\n\n');
    expect(mergeMarkdown(edited, LAYOUT).storage).toBe(
      LAYOUT.replace('<p>Runbooks</p>', '<p>Runbooks</p><p>On-call rota</p>'),
    );
  });

  it('names a dropped section as lost, and leaves exactly its bytes out when removal is allowed', () => {
    const dropped = LAYOUT_MARKDOWN.replace(/\[\[layout section 2[\s\S]*?(?=\[\[\/layout\]\])/, '');
    const { storage, lost } = mergeMarkdown(dropped, LAYOUT);
    expect(lost).toEqual([
      { label: 'layout section', markdown: '[[layout section 2 of 2: two_equal, cell 1 of 2]]' },
    ]);
    expect(storage).toBe(
      LAYOUT.replace(/<ac:layout-section ac:type="two_equal">.*<\/ac:layout-section>/, ''),
    );
  });

  it('names a dropped cell marker as lost; its text then belongs to the cell before it', () => {
    const merged = LAYOUT_MARKDOWN.replace('[[layout section 2 of 2: two_equal, cell 2 of 2]]\n\n', '');
    const { storage, lost } = mergeMarkdown(merged, LAYOUT);
    expect(lost).toEqual([
      { label: 'layout cell', markdown: '[[layout section 2 of 2: two_equal, cell 2 of 2]]' },
    ]);
    expect(storage).toContain(
      `${cell('<h2>Members</h2><ul><li>Alice</li></ul><h2>Links</h2><p>Runbooks</p>')}${cell('')}`,
    );
  });

  it('names the whole layout as lost when every marker is gone', () => {
    expect(mergeMarkdown('# Team home\n\nAbout us.', LAYOUT).lost).toEqual([
      { label: 'layout', markdown: '[[layout section 1 of 2: single, cell 1 of 1]]' },
    ]);
  });

  it('survives an agent tidying it: CRLF, trailing spaces, no blank lines around markers', () => {
    const tidied = LAYOUT_MARKDOWN.replace(/\n\n/g, '\n')
      .replace(/\]\]\n/g, ']]  \n')
      .replace('About us.', 'About all of us.')
      .replace(/\n/g, '\r\n');
    expect(mergeMarkdown(tidied, LAYOUT)).toEqual({
      storage: LAYOUT.replace('About us.', 'About all of us.'),
      unchanged: false,
      lost: [],
    });
  });

  it('lets text move from one cell to another, changing those two cells alone', () => {
    const moved = LAYOUT_MARKDOWN.replace('About us.\n\n', '').replace('Runbooks', 'Runbooks\n\nAbout us.');
    const { storage, lost } = mergeMarkdown(moved, LAYOUT);
    expect(lost).toEqual([]);
    expect(storage).toBe(
      LAYOUT.replace('<p>About us.</p>', '').replace('<p>Runbooks</p>', '<p>Runbooks</p><p>About us.</p>'),
    );
  });

  it('gives its headings sections that end with their cell', () => {
    const sections = sectionsOf(LAYOUT).map((s) => [s.heading.text, LAYOUT.slice(s.contentStart, s.end)]);
    expect(sections).toEqual([
      ['Team home', '<p>About us.</p>'],
      ['Members', '<ul><li>Alice</li></ul>'],
      ['Links', '<p>Runbooks</p>'],
    ]);
  });

  it('takes a marker inside a fenced block as code, not as a cell', () => {
    const storage = `${LAYOUT}<p>after</p>`;
    const { markdown } = readMarkdown(storage);
    const edited = markdown.replace('after', 'after\n\n```\n[[/layout]]\n```');
    const { storage: written, lost } = mergeMarkdown(edited, storage);
    expect(lost).toEqual([]);
    expect(written.startsWith(`${LAYOUT}<p>after</p><ac:structured-macro ac:name="code"`)).toBe(true);
    expect(written).toContain('<![CDATA[[[/layout]]]]>');
  });
});

describe('a table Markdown cannot hold', () => {
  const TABLE =
    '<table data-layout="wide"><tbody><tr><th colspan="2"><p>Quarter</p></th></tr>' +
    '<tr><td><ul><li>Sharded</li></ul></td><td><p>Later</p></td></tr></tbody></table>';

  it('reads cell by cell, each marker giving its row, its place and its span', () => {
    expect(readMarkdown(TABLE).markdown).toBe(
      [
        '[[table row 1 of 2, cell 1 of 1, spans 2 columns]]',
        'Quarter',
        '[[table row 2 of 2, cell 1 of 2]]',
        '- Sharded',
        '[[table row 2 of 2, cell 2 of 2]]',
        'Later',
        '[[/table]]',
      ].join('\n\n'),
    );
  });

  it('edited in one cell changes that cell alone', () => {
    const { markdown } = readMarkdown(TABLE);
    expect(mergeMarkdown(markdown.replace('- Sharded', '- Sharded\n- Replicated'), TABLE).storage).toBe(
      TABLE.replace('<li>Sharded</li>', '<li>Sharded</li><li>Replicated</li>'),
    );
  });

  it('names a dropped row as lost, and leaves exactly its bytes out when removal is allowed', () => {
    const { markdown } = readMarkdown(TABLE);
    const dropped = markdown.replace(/\[\[table row 2 of 2, cell 1[\s\S]*?(?=\[\[\/table\]\])/, '');
    const { storage, lost } = mergeMarkdown(dropped, TABLE);
    expect(lost).toEqual([{ label: 'table row', markdown: '[[table row 2 of 2, cell 1 of 2]]' }]);
    expect(storage).toBe(TABLE.replace(/<tr><td>.*<\/tr>/, ''));
  });
});

describe('a table read as GFM', () => {
  const STATUS =
    '<ac:structured-macro ac:name="status" ac:macro-id="s1"><ac:parameter ac:name="title">Down</ac:parameter><ac:parameter ac:name="colour">Red</ac:parameter></ac:structured-macro>';
  const TABLE =
    '<table data-layout="default" ac:local-id="t1"><colgroup><col style="width: 200.0px;" /><col style="width: 300.0px;" /></colgroup><tbody>' +
    '<tr><th><p local-id="c1">Service</p></th><th><p local-id="c2">Health</p></th></tr>' +
    `<tr><td><p local-id="c3">search</p></td><td><p local-id="c4">${STATUS} paging</p></td></tr></tbody></table>`;

  it('edited in one cell changes that cell alone: widths, ids, paragraphs and statuses keep their bytes', () => {
    const { markdown } = readMarkdown(TABLE);
    expect(markdown).toBe('| Service | Health |\n| --- | --- |\n| search | [status: Down (red)] paging |');
    const { storage } = mergeMarkdown(markdown.replace('| search |', '| search-api |'), TABLE);
    expect(storage).toBe(TABLE.replace('>search<', '>search-api<'));
    const { storage: both } = mergeMarkdown(markdown.replace('paging |', 'paged at 02:10 |'), TABLE);
    expect(both).toBe(TABLE.replace(' paging</p>', ' paged at 02:10</p>'));
  });

  it('with a row added is written anew, its statuses kept byte for byte', () => {
    const { markdown } = readMarkdown(TABLE);
    const { storage } = mergeMarkdown(`${markdown}\n| ledger | fine |`, TABLE);
    expect(storage).toBe(
      `<table><tbody><tr><th>Service</th><th>Health</th></tr><tr><td>search</td><td>${STATUS} paging</td></tr><tr><td>ledger</td><td>fine</td></tr></tbody></table>`,
    );
  });
});

describe('a list', () => {
  const item = (n: number, text: string) => `<li><p local-id="i${n}">${text}</p></li>`;
  const LIST = `<ol start="1" local-id="l1">${item(1, 'Announce')}${item(2, 'Deploy')}${item(3, 'Verify')}</ol>`;

  it('edited in one item changes that item alone, every other item keeping its bytes', () => {
    const { storage } = mergeMarkdown('1. Announce\n2. Deploy to production\n3. Verify', LIST);
    expect(storage).toBe(LIST.replace(item(2, 'Deploy'), '<li>Deploy to production</li>'));
  });

  it('with an item inserted or removed keeps the other items byte for byte', () => {
    expect(mergeMarkdown('1. Announce\n2. Freeze\n3. Deploy\n4. Verify', LIST).storage).toBe(
      LIST.replace(item(2, 'Deploy'), `<li>Freeze</li>${item(2, 'Deploy')}`),
    );
    expect(mergeMarkdown('1. Announce\n2. Verify', LIST).storage).toBe(LIST.replace(item(2, 'Deploy'), ''));
  });

  it('shows what its items hold: a panel with parameters and a macro body, edited in place', () => {
    const storage =
      '<ul><li>Before<ac:structured-macro ac:name="note" ac:macro-id="n1"><ac:parameter ac:name="icon">false</ac:parameter>' +
      '<ac:rich-text-body><p>Careful.</p></ac:rich-text-body></ac:structured-macro></li>' +
      '<li><ac:structured-macro ac:name="excerpt" ac:macro-id="e1"><ac:rich-text-body><p>Shared.</p></ac:rich-text-body></ac:structured-macro></li></ul>';
    const { markdown, omitted } = readMarkdown(storage);
    expect(markdown).toBe(
      '- Before\n\n  > [!NOTE]\n  > Careful.\n- [[excerpt]]\n\n  Shared.\n\n  [[/excerpt]]',
    );
    expect(omitted).toEqual([]);
    const edited = markdown.replace('Careful.', 'Very careful.').replace('  Shared.', '  Shared widely.');
    expect(mergeMarkdown(edited, storage)).toEqual({
      storage: storage.replace('Careful.', 'Very careful.').replace('Shared.', 'Shared widely.'),
      unchanged: false,
      lost: [],
    });
  });
});

describe('a task list', () => {
  const task = (id: number, status: string, body: string) =>
    `<ac:task><ac:task-id>${id}</ac:task-id><ac:task-uuid>u-${id}</ac:task-uuid><ac:task-status>${status}</ac:task-status><ac:task-body>${body}</ac:task-body></ac:task>`;
  const TASKS = `<ac:task-list>${task(7, 'incomplete', 'Write')}${task(9, 'incomplete', 'Review<ul><li>tests</li></ul>')}</ac:task-list>`;

  it('with one task checked changes only that status: ids, uuids and bodies keep their bytes', () => {
    const { markdown } = readMarkdown(TASKS);
    expect(markdown).toBe('- [ ] Write\n- [ ] Review\n      - tests');
    expect(mergeMarkdown(markdown.replace('[ ] Write', '[x] Write'), TASKS).storage).toBe(
      TASKS.replace(task(7, 'incomplete', 'Write'), task(7, 'complete', 'Write')),
    );
  });

  it('edited in one task body changes that body alone, its nested list included', () => {
    const { storage } = mergeMarkdown('- [ ] Write\n- [ ] Review\n      - tests\n      - docs', TASKS);
    expect(storage).toBe(TASKS.replace('<li>tests</li>', '<li>tests</li><li>docs</li>'));
  });

  it('with a task added numbers it after every task id of the page', () => {
    const { storage } = mergeMarkdown('- [ ] Write\n- [ ] Review\n      - tests\n- [x] Ship', TASKS);
    expect(storage).toBe(
      TASKS.replace(
        '</ac:task-list>',
        '<ac:task><ac:task-id>10</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>Ship</ac:task-body></ac:task></ac:task-list>',
      ),
    );
  });
});

describe('a macro with a rich-text body', () => {
  const EXCERPT =
    '<p>Intro</p><ac:structured-macro ac:name="excerpt" ac:macro-id="m1"><ac:parameter ac:name="hidden">true</ac:parameter>' +
    '<ac:rich-text-body><p>Shared <strong>summary</strong>.</p><ul><li>one</li></ul></ac:rich-text-body></ac:structured-macro>';

  it('reads as its body between the placeholder and a closing marker', () => {
    expect(readMarkdown(EXCERPT).markdown).toBe(
      'Intro\n\n[[excerpt: true]]\n\nShared **summary**.\n\n- one\n\n[[/excerpt]]',
    );
  });

  it('edited in its body keeps its parameters and id', () => {
    const { markdown } = readMarkdown(EXCERPT);
    expect(mergeMarkdown(markdown.replace('Shared', 'Common'), EXCERPT).storage).toBe(
      EXCERPT.replace('<p>Shared', '<p>Common'),
    );
  });

  it('can move whole, before the paragraph it followed', () => {
    const { markdown } = readMarkdown(EXCERPT);
    const moved = `${markdown.slice('Intro\n\n'.length)}\n\nIntro`;
    const { storage, lost } = mergeMarkdown(moved, EXCERPT);
    expect(lost).toEqual([]);
    expect(storage).toBe(`${EXCERPT.slice('<p>Intro</p>'.length)}<p>Intro</p>`);
  });
});

describe('a panel', () => {
  const PANELS =
    '<ac:structured-macro ac:name="panel" ac:macro-id="p1"><ac:parameter ac:name="title">Escalation</ac:parameter>' +
    '<ac:parameter ac:name="bgColor">#FFFAE6</ac:parameter><ac:rich-text-body><p>Escalate after thirty minutes.</p>' +
    '<ol><li>Commander<ul><li>by phone</li></ul></li></ol></ac:rich-text-body></ac:structured-macro>' +
    '<ac:structured-macro ac:name="info" ac:macro-id="p2"><ac:rich-text-body><p>Second.</p></ac:rich-text-body></ac:structured-macro>';

  it('with parameters reads as a quote with its title, its nested lists as Markdown', () => {
    expect(readMarkdown(PANELS).markdown).toBe(
      '> [!PANEL] Escalation\n> Escalate after thirty minutes.\n>\n> 1. Commander\n>    - by phone\n\n> [!INFO]\n> Second.',
    );
  });

  it('edited inside keeps its parameters and id, and the other panel byte for byte', () => {
    const { markdown } = readMarkdown(PANELS);
    const { storage, lost } = mergeMarkdown(
      markdown.replace('>    - by phone', '>    - by phone\n>    - by pager'),
      PANELS,
    );
    expect(lost).toEqual([]);
    expect(storage).toBe(PANELS.replace('<li>by phone</li>', '<li>by phone</li><li>by pager</li>'));
  });

  it('dropped whole is named as lost', () => {
    const { markdown } = readMarkdown(PANELS);
    const { lost, storage } = mergeMarkdown(markdown.replace(/> \[!INFO\][\s\S]*$/, ''), PANELS);
    expect(lost).toEqual([{ label: 'panel info', markdown: '> [!INFO]' }]);
    expect(storage).toBe(PANELS.slice(0, PANELS.indexOf('<ac:structured-macro ac:name="info"')));
  });
});

describe('a plain-text body', () => {
  const DIAGRAM =
    '<ac:structured-macro ac:name="plantuml" ac:macro-id="d1"><ac:parameter ac:name="format">SVG</ac:parameter>' +
    '<ac:plain-text-body><![CDATA[@startuml\nA -> B\n@enduml]]></ac:plain-text-body></ac:structured-macro>';

  it('reads as a fence whose info string is the macro name and its parameters', () => {
    expect(readMarkdown(DIAGRAM).markdown).toBe('```plantuml format="SVG"\n@startuml\nA -> B\n@enduml\n```');
  });

  it('edited keeps the macro, its parameters and id: only the body changes', () => {
    const { markdown } = readMarkdown(DIAGRAM);
    expect(mergeMarkdown(markdown.replace('A -> B', 'A -> B\nB -> C'), DIAGRAM).storage).toBe(
      DIAGRAM.replace('A -> B', 'A -> B\nB -> C'),
    );
  });

  it('written fresh as a noformat fence becomes a noformat macro', () => {
    expect(markdownToStorage('```noformat\nraw <b>\n```')).toBe(
      '<ac:structured-macro ac:name="noformat" ac:schema-version="1"><ac:plain-text-body><![CDATA[raw <b>]]></ac:plain-text-body></ac:structured-macro>',
    );
  });
});

describe('what a reading leaves opaque', () => {
  it('is counted by kind: macros with no body, a Jira query, a single issue', () => {
    const storage =
      '<ac:structured-macro ac:name="toc" /><ac:structured-macro ac:name="jira"><ac:parameter ac:name="jqlQuery">project = X</ac:parameter></ac:structured-macro>' +
      '<p>See <ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">X-1</ac:parameter></ac:structured-macro>' +
      '<ac:structured-macro ac:name="anchor"><ac:parameter ac:name="">here</ac:parameter></ac:structured-macro>.</p><ac:structured-macro ac:name="toc" />';
    expect(readMarkdown(storage).omitted).toEqual([
      { kind: 'macro toc', count: 2 },
      { kind: 'macro jira', count: 2 },
    ]);
  });

  it('counts an issue inside a table cell once', () => {
    const storage =
      '<table><tbody><tr><th>Issue</th></tr><tr><td><ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">X-2</ac:parameter></ac:structured-macro></td></tr></tbody></table>';
    expect(readMarkdown(storage)).toEqual({
      markdown: '| Issue |\n| --- |\n| [[jira: X-2]] |',
      omitted: [{ kind: 'macro jira', count: 1 }],
    });
  });

  it('is empty for a page whose every element reads as Markdown', () => {
    expect(readMarkdown(LAYOUT).omitted).toEqual([]);
  });
});
