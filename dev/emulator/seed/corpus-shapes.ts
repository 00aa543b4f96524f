/**
 * Storage documents shaped as the cloud editor exports them (local ids on blocks, macro ids,
 * `data-layout` and breakout attributes, ADF extensions with their fallback): layouts of every
 * section type, panels with titles and nested lists, include and excerpt macros, diagram sources,
 * tables with merged cells and lists in cells, emoticons, and status lozenges inside tables. Part
 * of the corpus (corpus.ts), so the Markdown tests and the token benchmark run over them.
 */

let localIds = 0;
/** A local id as the editor writes one on each block, unique in the corpus. */
const lid = () => `a1b2c3d4-${String(++localIds).padStart(4, '0')}-4e5f-8a9b-0c1d2e3f4a5b`;
const macroId = (n: number) => `7f3e2d1c-${String(n).padStart(4, '0')}-4b5a-9c8d-7e6f5a4b3c2d`;

const p = (text: string) => `<p local-id="${lid()}">${text}</p>`;
const h = (level: number, text: string) => `<h${level} local-id="${lid()}">${text}</h${level}>`;
const ul = (...items: string[]) =>
  `<ul local-id="${lid()}">${items.map((item) => `<li>${item}</li>`).join('')}</ul>`;
const ol = (...items: string[]) =>
  `<ol start="1" local-id="${lid()}">${items.map((item) => `<li>${item}</li>`).join('')}</ol>`;

const macro = (name: string, n: number, parameters: Record<string, string>, body = '') =>
  `<ac:structured-macro ac:name="${name}" ac:schema-version="1" data-layout="default" ac:local-id="${lid()}" ac:macro-id="${macroId(n)}">${Object.entries(
    parameters,
  )
    .map(([key, value]) => `<ac:parameter ac:name="${key}">${value}</ac:parameter>`)
    .join('')}${body}</ac:structured-macro>`;
const rich = (content: string) => `<ac:rich-text-body>${content}</ac:rich-text-body>`;
const plain = (content: string) => `<ac:plain-text-body><![CDATA[${content}]]></ac:plain-text-body>`;

const status = (title: string, colour: string, n: number) =>
  `<ac:structured-macro ac:name="status" ac:schema-version="1" ac:local-id="${lid()}" ac:macro-id="${macroId(n)}"><ac:parameter ac:name="title">${title}</ac:parameter><ac:parameter ac:name="colour">${colour}</ac:parameter></ac:structured-macro>`;
const emoji = (shortname: string, id: string, fallback: string) =>
  `<ac:emoticon ac:name="blue-star" ac:emoji-shortname=":${shortname}:" ac:emoji-id="${id}" ac:emoji-fallback="${fallback}" />`;
const mention = (accountId: string) => `<ac:link><ri:user ri:account-id="${accountId}" /></ac:link>`;
const pageLink = (title: string, text?: string) =>
  `<ac:link><ri:page ri:content-title="${title}" />${text ? `<ac:link-body>${text}</ac:link-body>` : ''}</ac:link>`;

const section = (type: string, ...cells: string[]) =>
  `<ac:layout-section ac:type="${type}" ac:breakout-mode="default">${cells.map((cell) => `<ac:layout-cell>${cell}</ac:layout-cell>`).join('')}</ac:layout-section>`;

const CARMEN = '712020:3f1a9c2e-5b7d-4e8f-a1c3-9d2e4f6a8b0c';
const DEV = '5d8e2b1a9c7f3e0012ab34cd';

/** An onboarding page: the first five layout types, panels and links inside cells. */
const ONBOARDING = [
  '<ac:layout>',
  section('single', h(1, 'Welcome to Payments Engineering') + p('Your first two weeks, one page at a time.')),
  section(
    'two_equal',
    h(2, 'Week one') + ul(p('Laptop and accounts'), p('Meet your onboarding buddy'), p('Ship a typo fix')),
    h(2, 'Week two') +
      ol(p('Pair on an incident review'), p('Take a support shift')) +
      macro('info', 1, {}, rich(p('Ask anything in <strong>#payments-help</strong>.'))),
  ),
  section(
    'two_left_sidebar',
    h(3, 'Contacts') + p(`Manager: ${mention(CARMEN)}`),
    h(3, 'Tooling') +
      p(
        `Start with ${pageLink('Developer Setup')} and the ${pageLink('Service Catalogue', 'service list')}.`,
      ),
  ),
  section(
    'two_right_sidebar',
    h(3, 'Reading list') + ul(p('Ledger design notes'), p('Settlement glossary')),
    h(3, 'Quick facts') + p('Founded in 2019; twelve engineers.'),
  ),
  section('three_equal', p('Mondays: planning'), p('Wednesdays: demos'), p('Fridays: learning hour')),
  '</ac:layout>',
].join('');

/** A landing page: the other five layout types, one of them with an empty cell. */
const LANDING = [
  '<ac:layout>',
  section(
    'three_with_sidebars',
    p('Left rail notes'),
    h(1, 'Observability Guild') + p('We keep dashboards honest.'),
    p('Right rail notes'),
  ),
  section('three_left_sidebars', p('Index'), p('Charter'), h(2, 'Meetings') + p('Biweekly on Thursdays.')),
  section(
    'three_right_sidebars',
    h(2, 'Current focus') + p('Tracing coverage for checkout.'),
    p('Owners'),
    p('Links'),
  ),
  section('four_equal', p('Metrics'), p('Logs'), p('Traces'), p('Profiles')),
  section('five_equal', p('Mon'), p('Tue'), p('Wed'), p('Thu'), '<p />'),
  '</ac:layout>',
].join('');

/** A runbook: panels of every kind with titles, nested lists, code and an editor-made custom panel. */
const RUNBOOK = [
  h(1, 'Card authorisation outage runbook'),
  macro(
    'info',
    2,
    { title: 'Who this is for' },
    rich(
      p('On-call engineers of the authorisation path.') + ul(p('Primary on-call'), p('Secondary on-call')),
    ),
  ),
  macro(
    'note',
    3,
    { title: 'Before paging anyone' },
    rich(
      ol(
        p('Check the status page') + ul(p('Degraded components'), p('Open incidents')),
        p('Check the error budget dashboard'),
      ),
    ),
  ),
  h(2, 'Mitigation'),
  macro(
    'warning',
    4,
    { title: 'Irreversible steps' },
    rich(
      p('Draining a region drops in-flight authorisations.') +
        ul(p('Announce it first'), p('Record the time')),
    ),
  ),
  macro('tip', 5, {}, rich(p('Most outages end with a config rollback.'))),
  macro(
    'expand',
    6,
    { title: 'Rollback commands' },
    rich(
      p('Run from the bastion host:') +
        macro(
          'code',
          7,
          { language: 'bash', title: 'rollback.sh' },
          plain('deployctl rollback auth --to previous'),
        ) +
        ul(p('Confirm the version'), p('Watch the error rate for ten minutes')),
    ),
  ),
  macro(
    'panel',
    8,
    { title: 'Escalation', bgColor: '#FFFAE6', borderColor: '#FF8B00', borderStyle: 'solid' },
    rich(
      p('Escalate after thirty minutes without progress.') +
        ol(p('Incident commander'), p('Head of engineering')),
    ),
  ),
  '<ac:adf-extension><ac:adf-node type="panel"><ac:adf-attribute key="panel-type">custom</ac:adf-attribute>',
  '<ac:adf-attribute key="panel-icon">:telephone_receiver:</ac:adf-attribute><ac:adf-attribute key="panel-color">#E6FCFF</ac:adf-attribute>',
  `<ac:adf-content>${p('Bridge line opens automatically for severity one incidents.')}</ac:adf-content></ac:adf-node>`,
  '<ac:adf-fallback><div class="panel" style="background-color: rgb(230,252,255);"><div class="panelContent"><p>Bridge line opens automatically for severity one incidents.</p></div></div></ac:adf-fallback></ac:adf-extension>',
].join('');

/** Reused content: includes, excerpts, page properties with statuses in their table. */
const REUSE = [
  h(1, 'Release train 2026.12'),
  macro(
    'excerpt',
    9,
    { hidden: 'false', atlassian_macro_output_type: 'BLOCK' },
    rich(p('The December train ships the ledger rewrite behind a flag.')),
  ),
  macro(
    'details',
    10,
    { id: 'release-properties' },
    rich(
      `<table data-table-width="760" data-layout="default" ac:local-id="${lid()}"><tbody>` +
        `<tr><th><p><strong>Owner</strong></p></th><td><p>${mention(DEV)}</p></td></tr>` +
        `<tr><th><p><strong>Status</strong></p></th><td><p>${status('In review', 'Yellow', 11)}</p></td></tr>` +
        '<tr><th><p><strong>Target</strong></p></th><td><p><time datetime="2026-12-18" /></p></td></tr>' +
        '</tbody></table>',
    ),
  ),
  h(2, 'Shared checklists'),
  macro('include', 12, {}, '').replace(
    '</ac:structured-macro>',
    '<ac:parameter ac:name=""><ac:link><ri:page ri:space-key="OPS" ri:content-title="Release Checklist" /></ac:link></ac:parameter></ac:structured-macro>',
  ),
  macro('excerpt-include', 13, { nopanel: 'true' }, '').replace(
    '</ac:structured-macro>',
    '<ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Ledger Rewrite" /></ac:link></ac:parameter></ac:structured-macro>',
  ),
  h(2, 'Open work'),
  macro('jira', 14, {
    server: 'System Jira',
    jqlQuery: 'fixVersion = &quot;2026.12&quot; AND statusCategory != Done',
    columns: 'key,summary,assignee,status',
    serverId: '0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e',
  }),
  macro('pagetree', 15, { root: '@self', expandCollapseAll: 'true' }),
].join('');

/** Diagram sources, plain-text macros with parameters, and attachment-drawn diagrams. */
const DIAGRAMS = [
  h(1, 'Checkout architecture'),
  p('The request path, as PlantUML:'),
  macro(
    'plantuml',
    16,
    { format: 'SVG', title: 'Checkout sequence' },
    plain(
      '@startuml\nactor Shopper\nShopper -> Gateway: POST /checkout\nGateway -> Ledger: reserve funds\n@enduml',
    ),
  ),
  p('The states, as Mermaid:'),
  macro(
    'mermaid-cloud',
    17,
    { theme: 'default' },
    plain('stateDiagram-v2\n  [*] --> Pending\n  Pending --> Settled: capture\n  Pending --> Voided: cancel'),
  ),
  h(2, 'Drawn diagrams'),
  macro('drawio', 18, { diagramName: 'checkout-topology', revision: '4', width: '800' }),
  macro('gliffy', 19, { name: 'legacy-network', pagePin: '2' }),
  h(2, 'Raw output'),
  macro('noformat', 20, { nopanel: 'true' }, plain('HTTP/1.1 402 Payment Required\nRetry-After: 30')),
].join('');

/** Tables with merged cells, lists and tasks in cells, statuses and emoticons in cells. */
const TABLES = [
  h(1, 'Quarterly capacity review'),
  `<table data-table-width="1200" data-layout="wide" ac:local-id="${lid()}"><colgroup><col style="width: 240.0px;" /><col style="width: 480.0px;" /><col style="width: 480.0px;" /></colgroup><tbody>`,
  '<tr><th rowspan="2"><p><strong>Service</strong></p></th><th colspan="2" data-highlight-colour="#f4f5f7"><p><strong>Quarter</strong></p></th></tr>',
  '<tr><th><p>Q3 actions</p></th><th><p>Q4 plan</p></th></tr>',
  `<tr><td><p>ledger</p></td><td>${ul(p('Sharded the journal') + ul(p('eight shards'), p('online resharding')), p('Cut p99 by half'))}</td><td>${ol(p('Archive cold entries'), p('Add a read replica'))}</td></tr>`,
  `<tr><td rowspan="2"><p>gateway</p></td><td><p>Retries with jitter ${emoji('white_check_mark', '2705', '✅')}</p></td><td><p>${status('At risk', 'Red', 21)} connection pooling</p></td></tr>`,
  `<tr><td colspan="2"><ac:task-list><ac:task><ac:task-id>31</ac:task-id><ac:task-uuid>${lid()}</ac:task-uuid><ac:task-status>incomplete</ac:task-status><ac:task-body>Load test the new pool</ac:task-body></ac:task></ac:task-list></td></tr>`,
  '</tbody></table>',
  h(2, 'Service health'),
  `<table data-layout="default" ac:local-id="${lid()}"><tbody>`,
  '<tr><th><p>Service</p></th><th><p>Health</p></th><th><p>Mood</p></th></tr>',
  `<tr><td><p>ledger</p></td><td><p>${status('Healthy', 'Green', 22)}</p></td><td><p>${emoji('slight_smile', '1f642', '🙂')}</p></td></tr>`,
  `<tr><td><p>gateway</p></td><td><p>${status('Degraded', 'Yellow', 23)}</p></td><td><p><ac:emoticon ac:name="warning" /> watching</p></td></tr>`,
  `<tr><td><p>search</p></td><td><p>${status('Down', 'Red', 24)}</p></td><td><p><ac:emoticon ac:name="sad" /> paging</p></td></tr>`,
  '</tbody></table>',
].join('');

/** A retrospective: a layout holding panels, statuses, emoticons, tasks and a nested list. */
const RETRO = [
  '<ac:layout>',
  section(
    'single',
    h(1, 'Sprint 48 retrospective') + p(`Facilitator: ${mention(CARMEN)} on <time datetime="2026-11-27" />`),
  ),
  section(
    'three_equal',
    h(3, `Went well ${emoji('tada', '1f389', '🎉')}`) + ul(p('Zero rollbacks'), p('Faster reviews')),
    h(3, 'Went badly <ac:emoticon ac:name="thumbs-down" />') +
      ul(p('Flaky contract tests') + ul(p('three reruns a day'))),
    h(3, 'Try next') +
      macro('note', 25, { title: 'Experiment' }, rich(p('Quarantine flaky tests automatically.'))),
  ),
  section(
    'two_equal',
    h(3, 'Actions') +
      `<ac:task-list><ac:task><ac:task-id>41</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>${mention(DEV)} writes the quarantine bot</ac:task-body></ac:task><ac:task><ac:task-id>42</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>Share the notes</ac:task-body></ac:task></ac:task-list>`,
    h(3, 'Mood') + p(`Team mood: ${status('Upbeat', 'Green', 26)}`),
  ),
  '</ac:layout>',
].join('');

// Typed as corpus.ts's CorpusDocument, restated here: corpus.ts imports this list, not the other way.
export const REAL_SHAPES: readonly { title: string; body: string }[] = [
  { title: 'Payments Onboarding Hub', body: ONBOARDING },
  { title: 'Observability Guild Landing', body: LANDING },
  { title: 'Card Authorisation Runbook', body: RUNBOOK },
  { title: 'Release Train 2026.12', body: REUSE },
  { title: 'Checkout Architecture Diagrams', body: DIAGRAMS },
  { title: 'Quarterly Capacity Review', body: TABLES },
  { title: 'Sprint 48 Retrospective', body: RETRO },
];
