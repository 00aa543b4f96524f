import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CORPUS } from '../../dev/emulator/seed/corpus.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme } from './support/tools.ts';

/**
 * Layouts, panels, macro bodies and complex tables through the tool route, against the emulator's
 * corpus pages shaped as the cloud editor exports them: the Markdown shows their text, an edit in
 * one cell or panel sends Confluence a body that differs only there, dropping a layout section or a
 * panel is content_loss, a section is found under a heading inside a layout cell, and a reading
 * says what it left opaque.
 */

const page = (title: string) => {
  const index = CORPUS.findIndex((document) => document.title === title);
  if (index === -1) throw new Error(`no corpus page "${title}"`);
  return { id: String(66001 + index), body: (CORPUS[index] as (typeof CORPUS)[number]).body };
};
const onboarding = page('Payments Onboarding Hub');
const runbook = page('Card Authorisation Runbook');
const release = page('Release Train 2026.12');
const capacity = page('Quarterly Capacity Review');
const retro = page('Sprint 48 Retrospective');

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

async function read(pageId: string) {
  const { status, body } = await callTool(id, 'get_confluence_page', {
    page_id: pageId,
    body_format: 'markdown',
    max_chars: 200_000,
  });
  expect(status).toBe(200);
  return body.page as { content: string; version: { number: number }; omitted: unknown[] };
}

async function written(): Promise<string[]> {
  return (await confluenceRequests())
    .filter((r) => r.method === 'PUT')
    .map((r) => (r.body as { body: { value: string } }).body.value);
}

describe('a layout page read as Markdown', () => {
  it('shows every cell in order under its marker, and nothing omitted', async () => {
    const { content, omitted } = await read(onboarding.id);
    expect(content).toMatch(
      /^\[\[layout section 1 of 5: single, cell 1 of 1\]\]\n\n# Welcome to Payments Engineering\n\nYour first two weeks/,
    );
    expect(content).toContain(
      '[[layout section 2 of 5: two_equal, cell 2 of 2]]\n\n## Week two\n\n1. Pair on an incident review\n2. Take a support shift\n\n> [!INFO]\n> Ask anything in **#payments-help**.',
    );
    expect(content.endsWith('Fridays: learning hour\n\n[[/layout]]')).toBe(true);
    expect(omitted).toEqual([]);
  });

  it('edited in one cell sends a body that differs from the page only by the item added to that cell', async () => {
    const { content, version } = await read(onboarding.id);
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: onboarding.id,
      version_number: version.number,
      body: content.replace('- Ship a typo fix', '- Ship a typo fix\n- Join the guild'),
      body_format: 'markdown',
    });
    expect(status, JSON.stringify(body)).toBe(200);
    const item = /<li><p local-id="[^"]+">Ship a typo fix<\/p><\/li>/.exec(onboarding.body)?.[0] as string;
    expect(await written()).toEqual([onboarding.body.replace(item, `${item}<li>Join the guild</li>`)]);
  });

  it('refuses to drop a whole section with content_loss naming it, and drops exactly it when allowed', async () => {
    const { content, version } = await read(onboarding.id);
    const without = content.replace(/\[\[layout section 4 of 5[\s\S]*?(?=\[\[layout section 5)/, '');
    const refused = await callTool(id, 'update_confluence_page', {
      page_id: onboarding.id,
      version_number: version.number,
      body: without,
      body_format: 'markdown',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'content_loss',
      lost: [
        { kind: 'layout section', markdown: '[[layout section 4 of 5: two_right_sidebar, cell 1 of 2]]' },
      ],
    });
    expect(await written()).toEqual([]);

    const allowed = await callTool(id, 'update_confluence_page', {
      page_id: onboarding.id,
      version_number: version.number,
      body: without,
      body_format: 'markdown',
      allow_removal: true,
    });
    expect(allowed.status).toBe(200);
    const section = /<ac:layout-section ac:type="two_right_sidebar".*?<\/ac:layout-section>/.exec(
      onboarding.body,
    )?.[0] as string;
    expect(await written()).toEqual([onboarding.body.replace(section, '')]);
  });

  it('has sections under the headings inside its cells, each ending with its cell', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page_section', {
      page_id: onboarding.id,
      version_number: 1,
      heading: 'Quick facts',
      body: 'Founded in 2019; fourteen engineers.',
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.section).toBe('Quick facts');
    const facts = /<p local-id="[^"]+">Founded in 2019; twelve engineers.<\/p>/.exec(
      onboarding.body,
    )?.[0] as string;
    expect(await written()).toEqual([
      onboarding.body.replace(facts, '<p>Founded in 2019; fourteen engineers.</p>'),
    ]);
  });
});

describe('panels read as Markdown', () => {
  it('edited inside one panel keep its title, colours and ids, and every other byte', async () => {
    const { content, version } = await read(runbook.id);
    expect(content).toContain('> [!PANEL] Escalation\n> Escalate after thirty minutes without progress.');
    const { status } = await callTool(id, 'update_confluence_page', {
      page_id: runbook.id,
      version_number: version.number,
      body: content.replace(
        '> 2. Head of engineering',
        '> 2. Head of engineering\n> 3. Chief technology officer',
      ),
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    const last = /<li><p local-id="[^"]+">Head of engineering<\/p><\/li>/.exec(runbook.body)?.[0] as string;
    expect(await written()).toEqual([runbook.body.replace(last, `${last}<li>Chief technology officer</li>`)]);
  });

  it('dropped whole is content_loss naming the panel', async () => {
    const { content, version } = await read(runbook.id);
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: runbook.id,
      version_number: version.number,
      body: content.replace(/> \[!TIP\]\n> Most outages end with a config rollback.\n\n/, ''),
      body_format: 'markdown',
    });
    expect(status).toBe(409);
    expect(body.error.lost).toEqual([{ kind: 'panel tip', markdown: '> [!TIP]' }]);
    expect(await written()).toEqual([]);
  });
});

describe('tables read as Markdown', () => {
  it('edited in one cell of a table with statuses and emoticons change that cell alone', async () => {
    const { content, version } = await read(capacity.id);
    expect(content).toContain('| search | [status: Down (red)] | :sad: paging |');
    const { status } = await callTool(id, 'update_confluence_page', {
      page_id: capacity.id,
      version_number: version.number,
      body: content.replace(':sad: paging |', ':sad: paging the storage team |'),
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(await written()).toEqual([capacity.body.replace(' paging</p>', ' paging the storage team</p>')]);
  });

  it('with merged cells and lists in cells, edited in one cell change that cell alone', async () => {
    const { content, version } = await read(capacity.id);
    expect(content).toContain(
      '[[table row 3 of 5, cell 3 of 3]]\n\n1. Archive cold entries\n2. Add a read replica',
    );
    const { status } = await callTool(id, 'update_confluence_page', {
      page_id: capacity.id,
      version_number: version.number,
      body: content.replace(
        '[[table row 4 of 5, cell 1 of 3, spans 2 rows]]\n\ngateway',
        '[[table row 4 of 5, cell 1 of 3, spans 2 rows]]\n\ngateway (edge)',
      ),
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(await written()).toEqual([
      capacity.body.replace('<td rowspan="2"><p>gateway</p>', '<td rowspan="2"><p>gateway (edge)</p>'),
    ]);
  });
});

describe('tasks read as Markdown', () => {
  it('with one box ticked inside a layout cell send only that status changed', async () => {
    const { content, version } = await read(retro.id);
    const open = '- [ ] @user:5d8e2b1a9c7f3e0012ab34cd writes the quarantine bot';
    expect(content).toContain(open);
    const { status } = await callTool(id, 'update_confluence_page', {
      page_id: retro.id,
      version_number: version.number,
      body: content.replace(open, open.replace('[ ]', '[x]')),
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(await written()).toEqual([
      retro.body.replace(
        '<ac:task-id>41</ac:task-id><ac:task-status>incomplete</ac:task-status>',
        '<ac:task-id>41</ac:task-id><ac:task-status>complete</ac:task-status>',
      ),
    ]);
  });
});

describe('what a Markdown reading leaves opaque', () => {
  it('is listed in page.omitted by kind, while macro bodies show their text', async () => {
    const { content, omitted } = await read(release.id);
    expect(content).toContain(
      '[[excerpt: false]]\n\nThe December train ships the ledger rewrite behind a flag.\n\n[[/excerpt]]',
    );
    expect(content).toContain('| **Status** | [status: In review (yellow)] |');
    expect(omitted).toEqual([
      { kind: 'macro include', count: 1 },
      { kind: 'macro excerpt-include', count: 1 },
      { kind: 'macro jira', count: 1 },
      { kind: 'macro pagetree', count: 1 },
    ]);
  });

  it('is not part of a storage reading', async () => {
    const { body } = await callTool(id, 'get_confluence_page', { page_id: release.id });
    expect(body.page).not.toHaveProperty('omitted');
  });
});
