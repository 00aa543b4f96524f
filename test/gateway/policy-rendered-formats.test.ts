import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  connectAcme,
  SEED,
  type ToolAnswer,
} from './support/tools.ts';

/** The OPS page whose rows ("Alice", "Bob") must never reach a caller confined to ENG. */
const ONCALL = '65602';
const INCLUDE_ONCALL =
  '<p>Who is on call:</p><ac:structured-macro ac:name="include" ac:schema-version="1"><ac:parameter ac:name=""><ac:link><ri:page ri:space-key="OPS" ri:content-title="On-call Schedule"/></ac:link></ac:parameter></ac:structured-macro>';

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
});

async function confineToEng(): Promise<void> {
  const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
    policy: { allowed_spaces: ['ENG'] },
  });
  expect(patched.status).toBe(200);
  await clearRequestLog();
}

function expectRefusedByAllowedSpaces(answer: ToolAnswer, mentioning: RegExp): void {
  expect(answer.status).toBe(403);
  expect(answer.body.error).toMatchObject({
    code: 'forbidden',
    rule: 'allowed_spaces',
    policy: 'integration',
  });
  expect(answer.body.error.message).toMatch(mentioning);
}

async function writesSent(): Promise<string[]> {
  return (await confluenceRequests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

describe('rendered formats under allowed_spaces', () => {
  it('the emulator renders an include of another space as Confluence does: its content shows in view', async () => {
    await emulatorControl('POST', `/pages/${SEED.pages.architecture}/edit`, { body: INCLUDE_ONCALL });
    const view = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
      body_format: 'view',
    });
    expect(view.status).toBe(200);
    expect(view.body.page.content).toContain('Alice');
  });

  it('refuses view of a page in an allowed space whose include pulls in another space, before asking Confluence', async () => {
    await emulatorControl('POST', `/pages/${SEED.pages.architecture}/edit`, { body: INCLUDE_ONCALL });
    await confineToEng();
    const view = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
      body_format: 'view',
    });
    expectRefusedByAllowedSpaces(view, /"view" format is refused.*storage/);
    expect(JSON.stringify(view.body)).not.toContain('Alice');
    expect(await confluenceRequests()).toEqual([]);
  });

  it('still reads storage and Markdown, which show the macro and not the other space’s content', async () => {
    await emulatorControl('POST', `/pages/${SEED.pages.architecture}/edit`, { body: INCLUDE_ONCALL });
    await confineToEng();
    for (const body_format of ['storage', 'markdown', 'atlas_doc_format']) {
      const read = await callTool(id, 'get_confluence_page', {
        page_id: SEED.pages.architecture,
        body_format,
      });
      expect([body_format, read.status]).toEqual([body_format, 200]);
      expect(read.body.page.content).not.toContain('Alice');
    }
  });

  it('records the refused read in the audit log with its rule', async () => {
    await confineToEng();
    await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture, body_format: 'view' });
    await expect
      .poll(async () => {
        const response = await serviceApi('GET', `/api/v1/integrations/${id}/audit?tool=get_confluence_page`);
        return ((await response.json()) as { entries: unknown[] }).entries;
      })
      .toEqual([
        expect.objectContaining({
          outcome: 'forbidden',
          refused_by: { rule: 'allowed_spaces', policy: 'integration' },
        }),
      ]);
  });
});

describe('writes that reference other spaces under allowed_spaces', () => {
  it('refuses an include of another space on create, update, section update and comments, writing nothing', async () => {
    await confineToEng();
    const attempts: [string, Record<string, unknown>][] = [
      ['create_confluence_page', { space_key: 'ENG', title: 'Leak', body: INCLUDE_ONCALL }],
      [
        'update_confluence_page',
        { page_id: SEED.pages.architecture, version_number: 5, body: INCLUDE_ONCALL },
      ],
      [
        'update_confluence_page_section',
        {
          page_id: SEED.pages.deployRunbook,
          version_number: 3,
          heading: 'Rollback',
          body: INCLUDE_ONCALL,
          body_format: 'storage',
        },
      ],
      ['add_confluence_comment', { page_id: SEED.pages.architecture, comment: INCLUDE_ONCALL }],
    ];
    for (const [name, args] of attempts) {
      const answer = await callTool(id, name, args);
      expect([name, answer.status]).toEqual([name, 403]);
      expectRefusedByAllowedSpaces(answer, /<ri:page> of space "OPS"/);
    }
    expect(await writesSent()).toEqual([]);
  });

  it('refuses a Markdown link to a page of another space', async () => {
    await confineToEng();
    const answer = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Leak',
      body: 'See [the rota](<page:/OPS/On-call Schedule>).',
      body_format: 'markdown',
    });
    expectRefusedByAllowedSpaces(answer, /space "OPS"/);
    expect(await writesSent()).toEqual([]);
  });

  it('refuses macros whose space parameter reaches outside, and lets ENG, @self and same-space links through', async () => {
    await confineToEng();
    const macro = (name: string, value: string) =>
      `<ac:structured-macro ac:name="${name}"><ac:parameter ac:name="spaces">${value}</ac:parameter><ac:parameter ac:name="labels">oncall</ac:parameter></ac:structured-macro>`;
    for (const [body, reason] of [
      [macro('content-by-label', 'OPS'), /spaces="OPS"/],
      [macro('recently-updated', 'ENG,OPS'), /spaces="ENG,OPS"/],
      [macro('content-by-label', '@all'), /spaces="@all"/],
      [
        `<ac:structured-macro ac:name="children"><ac:parameter ac:name="page">OPS:On-call Schedule</ac:parameter></ac:structured-macro>`,
        /OPS:On-call/,
      ],
      [`<p><ac:link><ri:page ri:content-id="${ONCALL}"/></ac:link></p>`, /content 65602/],
    ] as const) {
      const answer = await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'Leak', body });
      expectRefusedByAllowedSpaces(answer, reason);
    }
    expect(await writesSent()).toEqual([]);

    const inside = [
      macro('content-by-label', 'ENG'),
      macro('recently-updated', '@self'),
      '<p><ac:link><ri:page ri:content-title="Architecture Overview"/></ac:link></p>',
      `<p><ac:link><ri:page ri:content-id="${SEED.pages.architecture}"/></ac:link></p>`,
    ].join('');
    const created = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Inside',
      body: inside,
    });
    expect(created.body.error).toBeUndefined();
    expect(created.status).toBe(200);
  });

  it('reads a reference however its tag is written: a ">" in an earlier attribute, a "<" in a parameter value', async () => {
    await confineToEng();
    const attempts: [string, RegExp][] = [
      // XML allows ">" inside an attribute value: the space key after it is still the reference.
      [
        '<ac:structured-macro ac:name="include"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Costs > Budget" ri:space-key="OPS"/></ac:link></ac:parameter></ac:structured-macro>',
        /<ri:page> of space "OPS"/,
      ],
      [
        '<ac:structured-macro ac:name="content-by-label"><ac:parameter ac:title=">" ac:name="spaces">OPS</ac:parameter></ac:structured-macro>',
        /spaces="OPS"/,
      ],
      // An escaped "<" in a parameter's text is text, not an element written inside the parameter.
      [
        '<ac:structured-macro ac:name="content-by-label"><ac:parameter ac:name="spaces">OPS,&lt;x</ac:parameter><ac:parameter ac:name="labels">oncall</ac:parameter></ac:structured-macro>',
        /spaces="OPS,<x"/,
      ],
      [
        '<ac:structured-macro ac:name="content-by-label"><ac:parameter ac:name="spaces"><![CDATA[OPS,<x]]></ac:parameter><ac:parameter ac:name="labels">oncall</ac:parameter></ac:structured-macro>',
        /spaces="OPS,<x"/,
      ],
    ];
    for (const [body, reason] of attempts) {
      const answer = await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'Leak', body });
      expect([body, answer.status]).toEqual([body, 403]);
      expectRefusedByAllowedSpaces(answer, reason);
    }
    expect(await writesSent()).toEqual([]);
  });

  it('writes such references when no allowed_spaces is set', async () => {
    const answer = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Open',
      body: INCLUDE_ONCALL,
    });
    expect(answer.status).toBe(200);
  });
});
