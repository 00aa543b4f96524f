import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORPUS } from '../../dev/emulator/seed/corpus.ts';
import { renderStorage } from '../../src/markdown/to-markdown.ts';
import {
  callTool,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  type LoggedRequest,
} from './support/tools.ts';

/**
 * Markdown in and out with nothing lost, over the seeded storage-format corpus (DOCS space), through
 * the tool route against the emulator: unchanged Markdown writes nothing, an edit changes only its
 * element, fresh Markdown becomes storage Confluence accepts and reads back the same, a body that
 * drops a kept element is refused, and a section edit leaves every byte outside the section alone.
 */

const DOCS_SPACE = '98310';
const documents = CORPUS.map((document, n) => ({ ...document, id: String(66001 + n) }));

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

async function writes(method = 'PUT'): Promise<LoggedRequest[]> {
  return (await confluenceRequests()).filter((r) => r.method === method);
}

async function lastWrittenStorage(method = 'PUT'): Promise<string> {
  const write = (await writes(method)).at(-1);
  if (!write) throw new Error(`the gateway sent no ${method}`);
  return (write.body as { body: { value: string } }).body.value;
}

/** The whole page as Markdown, read in slices, and its version. */
async function readMarkdown(pageId: string): Promise<{ markdown: string; version: number }> {
  let markdown = '';
  let offset = 0;
  for (;;) {
    const { status, body } = await callTool(id, 'get_confluence_page', {
      page_id: pageId,
      body_format: 'markdown',
      max_chars: 200_000,
      offset,
    });
    expect(status).toBe(200);
    markdown += body.page.content;
    if (!body.page.truncated) return { markdown, version: body.page.version.number };
    offset = body.page.next_offset;
  }
}

/** The whole storage body of a page, read in slices (the request log abbreviates long bodies). */
async function readStorage(pageId: string): Promise<string> {
  let storage = '';
  for (let offset = 0; ; ) {
    const { body } = await callTool(id, 'get_confluence_page', {
      page_id: pageId,
      max_chars: 200_000,
      offset,
    });
    storage += body.page.content;
    if (!body.page.truncated) return storage;
    offset = body.page.next_offset;
  }
}

/** The byte range that differs between two strings, as [start, endInOld, endInNew]. */
function changedRange(before: string, after: string): [number, number, number] {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let tail = 0;
  while (
    tail < before.length - start &&
    tail < after.length - start &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  ) {
    tail++;
  }
  return [start, before.length - tail, after.length - tail];
}

/** The Markdown with one line of text edited (a paragraph, list item, quote or table row), or a line added. */
function editOneLine(markdown: string): string {
  let inFence = false;
  const lines = markdown.split('\n');
  const fenced = lines.map((line) => {
    if (/^(?:> )*```/.test(line)) inFence = !inFence;
    return inFence;
  });
  const at = lines.findLastIndex(
    (line, n) =>
      !fenced[n] &&
      /^(?:> |- (?:\[[ x]\] )?|\d+\. |\| )?[A-Za-z]/.test(line) &&
      !line.includes('[[') &&
      !line.endsWith('\\'),
  );
  if (at === -1) return `${markdown}\n\nA line added at the end.`;
  const line = lines[at] as string;
  lines[at] = line.endsWith(' |') ? `${line.slice(0, -2)} Edited. |` : `${line} Edited.`;
  return lines.join('\n');
}

/** A placeholder the reader escapes when it meets it as text: how a fresh write of one reads back. */
const unescapeKept = (markdown: string) => markdown.replace(/\\([[\]|])/g, '$1');

describe('get_confluence_page with body_format markdown', () => {
  it('renders headings, tables, code with its language and panels, and slices the Markdown', async () => {
    const whole = await callTool(id, 'get_confluence_page', { page_id: '65538', body_format: 'markdown' });
    expect(whole.status).toBe(200);
    const content: string = whole.body.page.content;
    expect(whole.body.page.content_format).toBe('markdown');
    expect(content).toContain('## Services\n\n| Service | Owner | Language |\n| --- | --- | --- |');
    expect(content).toContain('```typescript\nexport async function route');
    expect(content).toContain('> [!INFO]\n> This page is the source of truth');
    expect(content).toContain('[Deploy Runbook](<page:Deploy Runbook>)');
    expect(whole.body.page.total_chars).toBe(content.length);

    const first = await callTool(id, 'get_confluence_page', {
      page_id: '65538',
      body_format: 'markdown',
      max_chars: 100,
    });
    expect(first.body.page).toMatchObject({ truncated: true, next_offset: 100, total_chars: content.length });
    const rest = await callTool(id, 'get_confluence_page', {
      page_id: '65538',
      body_format: 'markdown',
      offset: 100,
      max_chars: 200_000,
    });
    expect(first.body.page.content + rest.body.page.content).toBe(content);
  });

  it('shows what Markdown cannot express as a readable placeholder, never a gap', async () => {
    const dashboard = documents.find((d) => d.title === 'Project Dashboard') as (typeof documents)[number];
    const { markdown } = await readMarkdown(dashboard.id);
    expect(markdown).toContain('[[toc: 3]]');
    expect(markdown).toContain('[[toc: 3 #2]]');
    expect(markdown).toContain('[[jira: project = PLAT AND status != Done]]');
    expect(markdown).toContain('[status: Done (green)]');
    expect(markdown).toContain('[[include: Glossary of "Quoted" Terms]]');
  });

  it('reads the storage-format corpus in well under 0.6 times its characters', async () => {
    let storage = 0;
    let markdown = 0;
    for (const document of documents.slice(0, 17)) {
      storage += document.body.length;
      markdown += (await readMarkdown(document.id)).markdown.length;
    }
    expect(markdown / storage).toBeLessThan(0.6);
  });
});

describe('writing back Markdown that was read', () => {
  it.each(documents)('unchanged Markdown of "$title" writes nothing and says so', async (document) => {
    const { markdown, version } = await readMarkdown(document.id);
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: document.id,
      version_number: version,
      body: markdown,
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, unchanged: true, page: { version } });
    expect(body.message).toMatch(/unchanged/);
    expect(await writes()).toHaveLength(0);
  });

  it.each(documents)('a one-line edit of "$title" changes only that line\'s element', async (document) => {
    const { markdown, version } = await readMarkdown(document.id);
    const edited = editOneLine(markdown);
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: document.id,
      version_number: version,
      body: edited,
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ unchanged: false, page: { version: version + 1 } });

    const written = await readStorage(document.id);
    const [start, endBefore] = changedRange(document.body, written);
    const element = renderStorage(document.body).blocks.filter((b) => b.start <= start && endBefore <= b.end);
    expect(element).toHaveLength(1);
    expect(written.length - document.body.length).toBeLessThan(document.body.length / 2 + 64);
    expect((await readMarkdown(document.id)).markdown).toBe(edited);
  });
});

describe('writing fresh Markdown', () => {
  it.each(documents)(
    'the Markdown of "$title" becomes storage the emulator accepts and reads back the same',
    async (document) => {
      const { markdown } = await readMarkdown(document.id);
      const created = await callTool(id, 'create_confluence_page', {
        space_id: DOCS_SPACE,
        title: `Fresh ${document.title}`,
        body: markdown,
        body_format: 'markdown',
      });
      expect(created.status).toBe(200);
      const { markdown: back } = await readMarkdown(created.body.page.id);
      // Placeholders have no storage to become without the page they came from: they stay text.
      expect(unescapeKept(back)).toBe(unescapeKept(markdown));
    },
  );

  it('turns fences, task lists, tables, panels and page links into clean storage', async () => {
    const markdown = [
      '# Plan',
      '```bash\nnpm test\n```',
      '- [ ] write\n- [x] review',
      '| a | b |\n| --- | --- |\n| 1 | 2 |',
      '> [!WARNING] Careful\n> It is *live*.',
      'See [the runbook](https://acme.atlassian.net/wiki/spaces/ENG/pages/65540/Deploy+Runbook) and @user:5b10ac8d82e05b22cc7d4ef5.',
    ].join('\n\n');
    const { status } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Markdown plan',
      body: markdown,
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(await lastWrittenStorage('POST')).toBe(
      '<h1>Plan</h1>' +
        '<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[npm test]]></ac:plain-text-body></ac:structured-macro>' +
        '<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>write</ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id><ac:task-status>complete</ac:task-status><ac:task-body>review</ac:task-body></ac:task></ac:task-list>' +
        '<table><tbody><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></tbody></table>' +
        '<ac:structured-macro ac:name="warning" ac:schema-version="1"><ac:parameter ac:name="title">Careful</ac:parameter><ac:rich-text-body><p>It is <em>live</em>.</p></ac:rich-text-body></ac:structured-macro>' +
        '<p>See <ac:link><ri:page ri:space-key="ENG" ri:content-title="Deploy Runbook"/><ac:plain-text-link-body><![CDATA[the runbook]]></ac:plain-text-link-body></ac:link> and <ac:link><ri:user ri:account-id="5b10ac8d82e05b22cc7d4ef5"/></ac:link>.</p>',
    );
  });

  it('posts a Markdown comment as storage', async () => {
    const { status } = await callTool(id, 'add_confluence_comment', {
      page_id: '65538',
      comment: 'Looks **good**; see `deploy.sh`.',
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(await lastWrittenStorage('POST')).toBe(
      '<p>Looks <strong>good</strong>; see <code>deploy.sh</code>.</p>',
    );
  });

  it('the emulator refuses storage that is not well-formed XHTML, as Confluence does', async () => {
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Broken markup',
      body: '<p>open <strong>bold</p>',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/Error parsing xhtml/);
  });
});

describe('content_loss', () => {
  const dashboard = documents.find((d) => d.title === 'Project Dashboard') as (typeof documents)[number];

  it('refuses Markdown that drops a kept element, names it, and writes nothing', async () => {
    const { markdown, version } = await readMarkdown(dashboard.id);
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: dashboard.id,
      version_number: version,
      body: markdown.replace('[[toc: 3]]\n\n', '').replace('\n\nThe key issue is [[jira: PLAT-42]].', ''),
      body_format: 'markdown',
    });
    expect(status).toBe(409);
    expect(body.error.code).toBe('content_loss');
    expect(body.error.lost).toEqual([
      { kind: 'macro toc', markdown: '[[toc: 3]]' },
      { kind: 'macro jira', markdown: '[[jira: PLAT-42]]' },
    ]);
    expect(body.error.message).toContain('allow_removal');
    expect(await writes()).toHaveLength(0);
  });

  it('removes the element when allow_removal is true, keeping every other byte', async () => {
    const { markdown, version } = await readMarkdown(dashboard.id);
    const { status } = await callTool(id, 'update_confluence_page', {
      page_id: dashboard.id,
      version_number: version,
      body: markdown.replace('[[toc: 3]]\n\n', ''),
      body_format: 'markdown',
      allow_removal: true,
    });
    expect(status).toBe(200);
    const toc = /<ac:structured-macro ac:name="toc"[\s\S]*?<\/ac:structured-macro>/.exec(
      dashboard.body,
    )?.[0] as string;
    expect(await lastWrittenStorage()).toBe(dashboard.body.replace(toc, ''));
  });

  it('lets a kept element move: it is written back byte for byte where the Markdown puts it', async () => {
    const { markdown, version } = await readMarkdown(dashboard.id);
    const moved = `${markdown.replace('[[toc: 3]]\n\n', '')}\n\n[[toc: 3]]`;
    const { status } = await callTool(id, 'update_confluence_page', {
      page_id: dashboard.id,
      version_number: version,
      body: moved,
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    const toc = /<ac:structured-macro ac:name="toc"[\s\S]*?<\/ac:structured-macro>/.exec(
      dashboard.body,
    )?.[0] as string;
    expect(await lastWrittenStorage()).toBe(dashboard.body.replace(toc, '') + toc);
  });
});

describe('update_confluence_page_section', () => {
  // Every heading of every corpus page but the 1 MB one, where a sample of its chapters stands in.
  const cases = documents.flatMap((document) => {
    const headings = renderStorage(document.body).blocks.flatMap((b) => (b.heading ? [b.heading.text] : []));
    const unique = headings.filter((text) => headings.indexOf(text) === headings.lastIndexOf(text));
    return [
      { document, headings: document.body.length > 500_000 ? [unique[0], unique[5], unique.at(-1)] : unique },
    ];
  });

  it.each(cases)(
    'appends to every section of "$document.title", leaving all else byte for byte',
    async ({ document, headings }) => {
      let storage = document.body;
      let version = 1;
      for (const [n, heading] of headings.entries()) {
        const { status, body } = await callTool(id, 'update_confluence_page_section', {
          page_id: document.id,
          version_number: version,
          heading,
          body: `Note ${n} on *${heading}*.`,
          mode: n % 2 === 0 ? 'append' : 'prepend',
        });
        expect(status, JSON.stringify(body)).toBe(200);
        expect(body).toMatchObject({ section: heading, unchanged: false, page: { version: version + 1 } });
        version += 1;
        const written = await readStorage(document.id);
        const [start, endBefore, endAfter] = changedRange(storage, written);
        expect(endBefore).toBe(start);
        const inserted = `<p>Note ${n} on <em>`;
        expect(written.slice(Math.max(0, start - inserted.length), endAfter + inserted.length)).toContain(
          inserted,
        );
        storage = written;
      }
    },
    600_000,
  );

  it('replaces a section from Markdown, keeping the unchanged blocks of the section and all outside it', async () => {
    const dashboard = documents.find((d) => d.title === 'Project Dashboard') as (typeof documents)[number];
    const { status, body } = await callTool(id, 'update_confluence_page_section', {
      page_id: dashboard.id,
      version_number: 1,
      heading: 'open issues',
      body: '[[jira: project = PLAT AND status != Done]]\n\nThe key issue is [[jira: PLAT-42]], now fixed.',
    });
    expect(status).toBe(200);
    expect(body.section).toBe('Open issues');
    const written = await lastWrittenStorage();
    const jira =
      '<p>The key issue is <ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="key">PLAT-42</ac:parameter></ac:structured-macro>';
    expect(written).toBe(dashboard.body.replace(`${jira}.</p>`, `${jira}, now fixed.</p>`));
  });

  it('writes nothing when the section would not change', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page_section', {
      page_id: documents[1]?.id,
      version_number: 1,
      heading: 'Starting at five',
      body: '5. Fifth\n6. Sixth',
    });
    expect(status).toBe(200);
    expect(body.unchanged).toBe(true);
    expect(await writes()).toHaveLength(0);
  });

  it('refuses a missing or ambiguous heading with the list of headings', async () => {
    const missing = await callTool(id, 'update_confluence_page_section', {
      page_id: documents[1]?.id,
      version_number: 1,
      heading: 'Nowhere',
      body: 'x',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_arguments');
    expect(missing.body.error.headings).toEqual([
      '# Lists',
      '## Numbered',
      '## Items with paragraphs',
      '## Mixed nesting',
      '## Starting at five',
    ]);
    const ambiguous = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Twice',
      body: '## Steps\n\none\n\n## Steps\n\ntwo',
      body_format: 'markdown',
    });
    const twice = await callTool(id, 'update_confluence_page_section', {
      page_id: ambiguous.body.page.id,
      version_number: 1,
      heading: 'Steps',
      body: 'x',
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/2 headings of the page read "Steps"/);
    expect(await writes()).toHaveLength(0);
  });

  it('refuses a stale version with version_conflict and writes nothing', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page_section', {
      page_id: '65538',
      version_number: 4,
      heading: 'Services',
      body: 'x',
      mode: 'append',
    });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 5 } });
    expect(await writes()).toHaveLength(0);
  });
});
