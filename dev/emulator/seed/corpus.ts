/**
 * A corpus of storage-format documents, written after Atlassian's storage-format reference
 * (confluence.atlassian.com "Confluence Storage Format"): every text, list, link, image, table,
 * layout and macro form it describes, with entities, CDATA split at `]]>`, `ac:macro-id`s, nested
 * panels and lists, merged cells, and a 1 MB page; then documents shaped as the cloud editor
 * exports them (corpus-shapes.ts). Seeded in the DOCS space; the Markdown tests and the token
 * benchmark run over all of it.
 */

import { REAL_SHAPES } from './corpus-shapes.ts';

const macroId = (n: number) =>
  `${(0x1f3a0000 + n).toString(16)}-7c1d-4e8a-9b2f-5d6e7f80${String(n).padStart(4, '0')}`;

const code = (language: string, body: string, extra = '') =>
  `<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="${macroId(language.length * 7 + body.length)}">${language ? `<ac:parameter ac:name="language">${language}</ac:parameter>` : ''}${extra}<ac:plain-text-body><![CDATA[${body}]]></ac:plain-text-body></ac:structured-macro>`;

const panel = (name: string, body: string, title?: string) =>
  `<ac:structured-macro ac:name="${name}" ac:schema-version="1">${title ? `<ac:parameter ac:name="title">${title}</ac:parameter>` : ''}<ac:rich-text-body>${body}</ac:rich-text-body></ac:structured-macro>`;

const status = (title: string, colour: string) =>
  `<ac:structured-macro ac:name="status" ac:schema-version="1" ac:macro-id="${macroId(title.length)}"><ac:parameter ac:name="colour">${colour}</ac:parameter><ac:parameter ac:name="title">${title}</ac:parameter></ac:structured-macro>`;

const mention = (accountId: string) => `<ac:link><ri:user ri:account-id="${accountId}" /></ac:link>`;

const ALICE = '5b10ac8d82e05b22cc7d4ef5';
const BOB = '5b10a2844c20165700ede21g';

export interface CorpusDocument {
  title: string;
  body: string;
}

const TEXT_FORMATTING = [
  '<h1>Text formatting reference</h1>',
  '<p>Confluence stores <strong>bold</strong>, <em>italic</em>, <u>underlined</u>, <s>struck</s> and <del>deleted</del> text, ',
  '<code>monospace</code>, x<sup>2</sup> and H<sub>2</sub>O, and <span style="color: rgb(255,86,48);">coloured words</span>.</p>',
  '<p>A line<br />that breaks<br/>twice, then <strong><em>bold italic</em></strong> and <b>old bold</b> with <i>old italic</i>.</p>',
  '<h2>Entities</h2>',
  '<p>Non&nbsp;breaking space, curly quotes &ldquo;like this&rdquo; and the team&rsquo;s apostrophe, an em dash &mdash; an ellipsis&hellip; caf&eacute;, &copy; 2026, 5&nbsp;&times;&nbsp;3, numeric &#8212; and &#x2019; forms, and escapes: a &lt; b &amp;&amp; c &gt; d, &quot;quoted&quot;.</p>',
  '<h2>Characters Markdown cares about</h2>',
  '<p>Stars * and _underscores_ and `backticks`, [brackets] and a #hash, 1. at the start, | pipes |, ~tildes~ and a back\\slash.</p>',
  '<p>1. This paragraph starts like an ordered list item.</p>',
  '<p># Not a heading, just a hash.</p>',
  '<h3>Quotes and rules</h3>',
  '<blockquote><p>Simplicity is prerequisite for reliability.</p><p>&mdash; Edsger W. Dijkstra</p></blockquote>',
  '<hr />',
  '<pre>preformatted   text\n  keeps   its spacing</pre>',
  '<h4>Small heading</h4><p>Under a fourth-level heading.</p>',
  '<h5>Smaller heading</h5><p>Under a fifth-level heading.</p>',
  '<h6>Smallest heading</h6><p>Under a sixth-level heading.</p>',
].join('');

const LISTS = [
  '<h1>Lists</h1>',
  '<p>Bulleted, numbered and nested lists, mixed.</p>',
  '<ul><li>Fruit<ul><li>Apples<ul><li>Granny Smith</li><li>Honeycrisp</li></ul></li><li>Pears</li></ul></li><li>Vegetables</li></ul>',
  '<h2>Numbered</h2>',
  '<ol><li>Prepare the release branch</li><li>Run the checks<ol><li>Unit tests</li><li>Integration tests</li></ol></li><li>Tag the build</li></ol>',
  '<h2>Items with paragraphs</h2>',
  '<ul><li><p>First item, written as a paragraph.</p></li><li><p>Second item with <strong>emphasis</strong> and a <a href="https://example.com/spec">link</a>.</p></li></ul>',
  '<h2>Mixed nesting</h2>',
  '<ol><li>Step one<ul><li>detail a</li><li>detail b<ol><li>sub-step</li></ol></li></ul></li><li>Step two</li></ol>',
  '<h2>Starting at five</h2>',
  '<ol start="5"><li>Fifth</li><li>Sixth</li></ol>',
].join('');

const TASKS = [
  '<h1>Launch tasks</h1>',
  '<p>Owner: ',
  mention(ALICE),
  '. Due <time datetime="2026-12-15" />.</p>',
  '<ac:task-list>',
  '<ac:task><ac:task-id>1</ac:task-id><ac:task-uuid>0a1b2c3d-1111-4e5f-8a9b-000000000001</ac:task-uuid><ac:task-status>complete</ac:task-status><ac:task-body>Write the announcement</ac:task-body></ac:task>',
  `<ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Review with ${mention(BOB)} by <time datetime="2026-12-10" /></ac:task-body></ac:task>`,
  '<ac:task><ac:task-id>3</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body><strong>Publish</strong> the changelog</ac:task-body></ac:task>',
  '</ac:task-list>',
  '<h2>Follow-ups</h2>',
  '<ac:task-list><ac:task><ac:task-id>4</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Collect feedback</ac:task-body></ac:task></ac:task-list>',
].join('');

const LINKS = [
  '<h1>Links</h1>',
  '<p>External: <a href="https://www.atlassian.com/software/confluence">Confluence</a>, and a bare <a href="https://example.com/status">https://example.com/status</a>.</p>',
  '<p>To a page: <ac:link><ri:page ri:content-title="Architecture Overview" /></ac:link>; in another space with its own text: ',
  '<ac:link><ri:page ri:space-key="OPS" ri:content-title="On-call Schedule" /><ac:plain-text-link-body><![CDATA[who is on call]]></ac:plain-text-link-body></ac:link>.</p>',
  '<p>To an anchor on a page: <ac:link ac:anchor="recovery"><ri:page ri:content-title="Incident Response" /><ac:plain-text-link-body><![CDATA[recovery section]]></ac:plain-text-link-body></ac:link>, ',
  'and on this page: <ac:link ac:anchor="attachments"><ac:plain-text-link-body><![CDATA[see attachments]]></ac:plain-text-link-body></ac:link>.</p>',
  '<p>To an attachment: <ac:link><ri:attachment ri:filename="quarterly-report.pdf" /><ac:plain-text-link-body><![CDATA[the Q3 report]]></ac:plain-text-link-body></ac:link>.</p>',
  '<p>To a blog post: <ac:link><ri:blog-post ri:content-title="Release Notes: November 2026" ri:posting-day="2026/11/02" /></ac:link>.</p>',
  '<p>With a rich body: <ac:link><ri:page ri:content-title="API Guidelines" /><ac:link-body><strong>API</strong> rules</ac:link-body></ac:link>.</p>',
  `<p>People: ${mention(ALICE)} and ${mention(BOB)} reviewed it.</p>`,
  '<h2 id="attachments">Attachments</h2>',
  `<p>${'<ac:structured-macro ac:name="anchor" ac:schema-version="1"><ac:parameter ac:name="">attachments</ac:parameter></ac:structured-macro>'}The files of this page are listed below.</p>`,
].join('');

const IMAGES = [
  '<h1>Images and emoticons</h1>',
  '<p><ac:image ac:height="250" ac:alt="Architecture diagram"><ri:attachment ri:filename="architecture.png" /></ac:image></p>',
  '<p>An external image: <ac:image><ri:url ri:value="https://www.example.com/logo.png" /></ac:image></p>',
  '<p>A thumbnail of another page&rsquo;s attachment: <ac:image ac:thumbnail="true" ac:width="120"><ri:attachment ri:filename="photo.jpg"><ri:page ri:content-title="Team Offsite" /></ri:attachment></ac:image></p>',
  '<p>Emoticons: <ac:emoticon ac:name="smile" /> <ac:emoticon ac:name="tick" /> <ac:emoticon ac:name="warning" /> and an emoji <ac:emoticon ac:name="blue-star" ac:emoji-shortname=":rocket:" ac:emoji-id="1f680" ac:emoji-fallback="&#x1F680;" />.</p>',
  '<h2>Captioned</h2>',
  '<ac:image ac:align="center" ac:layout="center" ac:original-height="480" ac:original-width="640"><ri:attachment ri:filename="flow.svg" /><ac:caption><p>The request flow</p></ac:caption></ac:image>',
].join('');

const SIMPLE_TABLES = [
  '<h1>Service catalogue</h1>',
  '<table data-layout="default"><colgroup><col style="width: 200.0px;" /><col style="width: 300.0px;" /></colgroup><tbody>',
  '<tr><th><p>Service</p></th><th><p>Owner</p></th></tr>',
  '<tr><td><p>billing-api</p></td><td><p>Payments</p></td></tr>',
  '<tr><td><p>ledger</p></td><td><p><strong>Finance</strong> platform</p></td></tr>',
  '<tr><td><p>search | index</p></td><td><p>Discovery</p></td></tr>',
  '</tbody></table>',
  '<h2>Without a header row</h2>',
  '<table><tbody><tr><td>alpha</td><td>1</td></tr><tr><td>beta</td><td>2</td></tr></tbody></table>',
].join('');

const COMPLEX_TABLES = [
  '<h1>Capacity plan</h1>',
  '<p>Merged cells keep their shape; Markdown shows a placeholder for each such table.</p>',
  '<table><tbody>',
  '<tr><th rowspan="2">Region</th><th colspan="2">Requests per second</th></tr>',
  '<tr><th>Peak</th><th>Average</th></tr>',
  '<tr><td>eu-west</td><td>12&nbsp;000</td><td>4&nbsp;500</td></tr>',
  '<tr><td colspan="3"><em>Totals are reviewed quarterly.</em></td></tr>',
  '</tbody></table>',
  '<h2>Cells with lists</h2>',
  '<table><tbody><tr><th>Team</th><th>Duties</th></tr>',
  '<tr><td>SRE</td><td><ul><li>Paging</li><li>Capacity</li></ul></td></tr>',
  `<tr><td>Data</td><td>${panel('note', '<p>Shared with analytics.</p>')}</td></tr>`,
  '</tbody></table>',
  '<h2>Nested table</h2>',
  '<table><tbody><tr><td><table><tbody><tr><td>inner</td></tr></tbody></table></td></tr></tbody></table>',
].join('');

const LAYOUTS = [
  '<ac:layout>',
  '<ac:layout-section ac:type="single"><ac:layout-cell><h1>Team home</h1><p>Everything about the platform team.</p></ac:layout-cell></ac:layout-section>',
  '<ac:layout-section ac:type="two_equal" ac:breakout-mode="default"><ac:layout-cell><h2>Members</h2><ul><li>Alice</li><li>Bob</li></ul></ac:layout-cell>',
  `<ac:layout-cell><h2>Links</h2><p><ac:link><ri:page ri:content-title="Runbooks" /></ac:link></p>${panel('tip', '<p>Ask in #platform.</p>')}</ac:layout-cell></ac:layout-section>`,
  '<ac:layout-section ac:type="three_with_sidebars"><ac:layout-cell><p>left</p></ac:layout-cell><ac:layout-cell><p>middle</p></ac:layout-cell><ac:layout-cell><p>right</p></ac:layout-cell></ac:layout-section>',
  '</ac:layout>',
].join('');

const PANELS = [
  '<h1>Panels</h1>',
  panel('info', '<p>Information with a <strong>bold</strong> word.</p>'),
  panel('note', '<p>A note with a title.</p>', 'Before you start'),
  panel('warning', '<p>Irreversible.</p><ul><li>Back up first</li><li>Tell the team</li></ul>'),
  panel('tip', `<p>Nested panels are allowed:</p>${panel('info', '<p>Inside a tip.</p>')}`),
  '<h2>Custom panel</h2>',
  '<ac:structured-macro ac:name="panel" ac:schema-version="1" ac:macro-id="3e1f0a9c-0d3c-4b8f-a1e2-77aa55cc0001"><ac:parameter ac:name="bgColor">#DEEBFF</ac:parameter><ac:parameter ac:name="borderStyle">dashed</ac:parameter><ac:rich-text-body><p>Coloured panel body.</p></ac:rich-text-body></ac:structured-macro>',
  '<h2>Expand</h2>',
  panel('expand', `<p>Hidden details.</p>${code('bash', 'echo "expanded"')}`, 'Show the details'),
].join('');

const CODE = [
  '<h1>Code samples</h1>',
  code('typescript', 'export function add(a: number, b: number): number {\n  return a + b;\n}'),
  '<h2>Without a language</h2>',
  code('', 'plain text block\n  indented line'),
  '<h2>With a title and line numbers</h2>',
  code(
    'python',
    'def main():\n    print("hi")',
    '<ac:parameter ac:name="title">main.py</ac:parameter><ac:parameter ac:name="linenumbers">true</ac:parameter>',
  ),
  '<h2>CDATA split at its terminator</h2>',
  '<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">java</ac:parameter><ac:plain-text-body><![CDATA[int[][] grid = new int[2][2];\nif (grid[0][0]]]]><![CDATA[> 1) { return; }]]></ac:plain-text-body></ac:structured-macro>',
  '<h2>Backticks inside</h2>',
  code('markdown', 'Use ``` to open a fence.\n```\nnested\n```'),
  '<h2>No format</h2>',
  '<ac:structured-macro ac:name="noformat" ac:schema-version="1"><ac:plain-text-body><![CDATA[raw   text <b>not bold</b>]]></ac:plain-text-body></ac:structured-macro>',
].join('');

const MACROS = [
  '<h1>Project dashboard</h1>',
  `<p>Status: ${status('In progress', 'Yellow')} then ${status('Done', 'Green')}.</p>`,
  '<ac:structured-macro ac:name="toc" ac:schema-version="1" ac:macro-id="b2c4d6e8-0000-4000-8000-000000000001"><ac:parameter ac:name="maxLevel">3</ac:parameter></ac:structured-macro>',
  '<h2>Open issues</h2>',
  '<ac:structured-macro ac:name="jira" ac:schema-version="1" ac:macro-id="b2c4d6e8-0000-4000-8000-000000000002"><ac:parameter ac:name="server">System JIRA</ac:parameter><ac:parameter ac:name="columns">key,summary,status</ac:parameter><ac:parameter ac:name="maximumIssues">20</ac:parameter><ac:parameter ac:name="jqlQuery">project = PLAT AND status != Done</ac:parameter><ac:parameter ac:name="serverId">1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d</ac:parameter></ac:structured-macro>',
  '<p>The key issue is <ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="key">PLAT-42</ac:parameter></ac:structured-macro>.</p>',
  '<h2>Reused content</h2>',
  '<ac:structured-macro ac:name="include" ac:schema-version="1"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Glossary of &quot;Quoted&quot; Terms" /></ac:link></ac:parameter></ac:structured-macro>',
  '<ac:structured-macro ac:name="excerpt-include" ac:schema-version="1"><ac:parameter ac:name="nopanel">true</ac:parameter><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Architecture Overview" /></ac:link></ac:parameter></ac:structured-macro>',
  '<h2>Child pages</h2>',
  '<ac:structured-macro ac:name="children" ac:schema-version="2"><ac:parameter ac:name="all">true</ac:parameter></ac:structured-macro>',
  '<h2>Excerpt</h2>',
  '<ac:structured-macro ac:name="excerpt" ac:schema-version="1"><ac:parameter ac:name="hidden">false</ac:parameter><ac:rich-text-body><p>The dashboard collects the project&rsquo;s state.</p></ac:rich-text-body></ac:structured-macro>',
  '<h2>Unknown macro</h2>',
  '<ac:structured-macro ac:name="com.example.roadmap" ac:schema-version="1"><ac:parameter ac:name="title">2027 roadmap</ac:parameter><ac:parameter ac:name="lanes">3</ac:parameter></ac:structured-macro>',
  '<p>Second table of contents:</p>',
  '<ac:structured-macro ac:name="toc" ac:schema-version="1" ac:macro-id="b2c4d6e8-0000-4000-8000-000000000003"><ac:parameter ac:name="maxLevel">3</ac:parameter></ac:structured-macro>',
].join('');

const MEETING_NOTES = [
  '<h1>2026-11-24 Platform sync</h1>',
  `<h2>Date</h2><p><time datetime="2026-11-24" /></p>`,
  `<h2>Participants</h2><ul><li>${mention(ALICE)}</li><li>${mention(BOB)}</li></ul>`,
  '<h2>Goals</h2><ul><li>Agree on the Q1 scope</li><li>Review the error budget</li></ul>',
  '<h2>Discussion items</h2>',
  '<table><tbody><tr><th>Time</th><th>Item</th><th>Who</th><th>Notes</th></tr>',
  `<tr><td>10 min</td><td>Error budget</td><td>${mention(ALICE)}</td><td>We spent 40&nbsp;% in November.</td></tr>`,
  `<tr><td>20 min</td><td>Q1 scope</td><td>${mention(BOB)}</td><td>Search rewrite first.</td></tr></tbody></table>`,
  '<h2>Action items</h2>',
  `<ac:task-list><ac:task><ac:task-id>7</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>${mention(BOB)} drafts the Q1 plan</ac:task-body></ac:task></ac:task-list>`,
].join('');

const DECISION = [
  '<h1>Decision: adopt OpenTelemetry</h1>',
  `<table><tbody><tr><th>Status</th><td>${status('Decided', 'Green')}</td></tr><tr><th>Owner</th><td>${mention(ALICE)}</td></tr><tr><th>Due</th><td><time datetime="2026-12-01" /></td></tr></tbody></table>`,
  '<h2>Background</h2><p>Three tracing libraries coexist; none exports to the same backend.</p>',
  '<h2>Options considered</h2>',
  '<table><tbody><tr><th></th><th>OpenTelemetry</th><th>Vendor SDK</th></tr><tr><th>Cost</th><td>Free</td><td>Per host</td></tr><tr><th>Lock-in</th><td>None</td><td>High</td></tr></tbody></table>',
  '<h2>Outcome</h2>',
  panel('info', '<p>We adopt OpenTelemetry for all new services from January.</p>'),
  '<ac:structured-macro ac:name="decision-list" ac:schema-version="1" />',
].join('');

const HOW_TO = [
  '<h1>How to rotate the signing key</h1>',
  panel('warning', '<p>Rotating invalidates every issued session.</p>', 'Read first'),
  '<h2>Prerequisites</h2><ul><li>Access to the vault</li><li>A maintenance window</li></ul>',
  '<h2>Steps</h2>',
  `<ol><li><p>Generate the key:</p>${code('bash', 'openssl rand -base64 32 > key.txt')}</li><li><p>Store it:</p>${code('bash', 'vault kv put secret/signing key=@key.txt')}</li><li><p>Restart the workers.</p></li></ol>`,
  '<h2>Related articles</h2>',
  '<ac:structured-macro ac:name="contentbylabel" ac:schema-version="3"><ac:parameter ac:name="showLabels">false</ac:parameter><ac:parameter ac:name="max">5</ac:parameter><ac:parameter ac:name="cql">label = &quot;kb-how-to-article&quot; and type = &quot;page&quot;</ac:parameter></ac:structured-macro>',
].join('');

const INLINE_COMMENTS = [
  '<h1>Draft proposal</h1>',
  '<p>We propose to <ac:inline-comment-marker ac:ref="4e2f1c88-aaaa-4bbb-8ccc-000000000001">retire the legacy queue</ac:inline-comment-marker> by March.</p>',
  '<p>Fill in: <ac:placeholder>Describe the migration plan</ac:placeholder></p>',
  '<h2>Risks</h2>',
  '<p>Consumers that still poll&hellip; see <a href="https://example.com/queue?x=1&amp;y=2">the queue report</a>.</p>',
  '<p />',
  '<p>   </p>',
  '<h2>Appendix</h2>',
  '<div class="content-wrapper"><p>Wrapped content from an older editor.</p></div>',
].join('');

const WHITESPACE = [
  '<h1>Whitespace and formatting</h1>\n',
  '<p>\n  This paragraph was\n  pretty-printed by an older editor.\n</p>\n',
  '<ul>\n  <li>one</li>\n  <li>two</li>\n</ul>\n',
  '<!-- an editor comment -->\n',
  '<p><strong>Bold </strong>then text, <em> spaced italic </em>and a <code>code`tick</code>.</p>\n',
  '<h2>Release notes</h2>\n',
  '<p>Version 2.1 adds search filters.</p>\n',
].join('');

/** About 50 KB: the page whose conversion time the benchmark budgets. */
function mixedPage(title: string, minChars: number): string {
  const parts = [`<h1>${title}</h1>`, MACROS.replace('<h1>Project dashboard</h1>', '')];
  let length = parts.join('').length;
  for (let n = 1; length < minChars; n++) {
    const part = [
      `<h2>Chapter ${n}</h2>`,
      `<p>Chapter ${n} covers the <strong>data path</strong>, its <em>latency budget</em> of ${n * 3}&nbsp;ms and the owner, ${mention(n % 2 ? ALICE : BOB)}. See <ac:link><ri:page ri:content-title="Architecture Overview" /></ac:link>.</p>`,
      `<ul><li>Input: events from topic <code>events.v${n}</code></li><li>Output: rows in table <code>facts_${n}</code><ul><li>partitioned by day</li></ul></li></ul>`,
      n % 3 === 0 ? panel('note', `<p>Chapter ${n} changed in release ${n}.0.</p>`) : '',
      n % 4 === 0 ? code('sql', `SELECT count(*) FROM facts_${n} WHERE day = CURRENT_DATE;`) : '',
      n % 5 === 0
        ? `<table><tbody><tr><th>Metric</th><th>Target</th></tr><tr><td>p99 latency</td><td>${n * 10} ms</td></tr><tr><td>errors</td><td>&lt; 0.1&nbsp;%</td></tr></tbody></table>`
        : '',
      n % 7 === 0 ? `<p>State: ${status(`Phase ${n}`, 'Blue')}</p>` : '',
    ].join('');
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}

export const CORPUS: readonly CorpusDocument[] = [
  { title: 'Text Formatting Reference', body: TEXT_FORMATTING },
  { title: 'Lists Reference', body: LISTS },
  { title: 'Launch Tasks', body: TASKS },
  { title: 'Links Reference', body: LINKS },
  { title: 'Images and Emoticons', body: IMAGES },
  { title: 'Service Catalogue', body: SIMPLE_TABLES },
  { title: 'Capacity Plan', body: COMPLEX_TABLES },
  { title: 'Team Home Layout', body: LAYOUTS },
  { title: 'Panels Reference', body: PANELS },
  { title: 'Code Samples', body: CODE },
  { title: 'Project Dashboard', body: MACROS },
  { title: '2026-11-24 Platform Sync', body: MEETING_NOTES },
  { title: 'Decision: Adopt OpenTelemetry', body: DECISION },
  { title: 'How to Rotate the Signing Key', body: HOW_TO },
  { title: 'Draft Proposal', body: INLINE_COMMENTS },
  { title: 'Whitespace and Formatting', body: WHITESPACE },
  { title: 'Data Platform Handbook', body: mixedPage('Data Platform Handbook', 50 * 1024) },
  { title: 'Data Platform Archive', body: mixedPage('Data Platform Archive', 1024 * 1024) },
  ...REAL_SHAPES,
];
