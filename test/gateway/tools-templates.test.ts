import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  SEED,
} from './support/tools.ts';

/** Seeded templates (test/emulator/seed.ts): the site's Meeting notes, ENG's Decision record. */
const MEETING_NOTES = '2001';
const DECISION_RECORD = '2002';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const writes = async () => (await confluenceRequests()).filter((r) => r.method !== 'GET');

describe('get_confluence_templates', () => {
  it("lists the site's templates, or a space's by key", async () => {
    const site = await callTool(id, 'get_confluence_templates', {});
    expect(site.status).toBe(200);
    expect(site.body).toMatchObject({
      space_key: null,
      has_more: false,
      templates: [
        {
          id: MEETING_NOTES,
          name: 'Meeting notes',
          description: expect.stringMatching(/Agenda/),
          space_key: null,
          labels: ['meeting-notes'],
        },
      ],
    });
    const eng = await callTool(id, 'get_confluence_templates', { space_key: 'ENG' });
    expect(eng.body.templates.map((t: { id: string; space_key: string }) => [t.id, t.space_key])).toEqual([
      [DECISION_RECORD, 'ENG'],
    ]);
    const list = (await confluenceRequests()).filter((r) => r.path.endsWith('/wiki/rest/api/template/page'));
    expect(list.at(-1)?.query).toMatchObject({ spaceKey: 'ENG', start: '0', limit: '25' });
  });
});

describe('create_confluence_page_from_template', () => {
  it("creates a page whose body is the template's, in the space asked for", async () => {
    const { status, body } = await callTool(id, 'create_confluence_page_from_template', {
      template_id: DECISION_RECORD,
      space_key: 'ENG',
      title: 'Decision: cursor paging',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ template_id: DECISION_RECORD, page: { title: 'Decision: cursor paging' } });
    expect(body.message).toMatch(/Decision record/);
    const read = await callTool(id, 'get_confluence_page', { page_id: body.page.id });
    expect(read.body.page.content).toMatch(/^<h2>Context<\/h2>.*<h2>Decision<\/h2>/);
  });

  it('answers not_found for a template that does not exist, creating nothing', async () => {
    const { status, body } = await callTool(id, 'create_confluence_page_from_template', {
      template_id: '99999',
      space_key: 'ENG',
      title: 'Nothing',
    });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/get_confluence_templates/);
    expect(await writes()).toEqual([]);
  });
});

describe('when Atlassian has removed the v1 template API', () => {
  it('both template tools answer upstream_gone naming the operation, and nothing is created', async () => {
    await emulatorControl('POST', '/config', {
      removed_endpoints: [{ path_contains: '/wiki/rest/api/template' }],
    });
    const list = await callTool(id, 'get_confluence_templates', { space_key: 'ENG' });
    expect(list.status).toBe(502);
    expect(list.body.error).toMatchObject({
      code: 'upstream_gone',
      operation: 'GET /wiki/rest/api/template/page',
    });
    const create = await callTool(id, 'create_confluence_page_from_template', {
      template_id: MEETING_NOTES,
      space_key: 'ENG',
      title: 'Gone',
    });
    expect(create.status).toBe(502);
    expect(create.body.error).toMatchObject({
      code: 'upstream_gone',
      operation: 'GET /wiki/rest/api/template/{id}',
    });
    expect(await writes()).toEqual([]);
  });
});

describe('allowed_spaces holds for templates', () => {
  it("refuses another space's templates as not_found, and a page from one, sending nothing", async () => {
    const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
      policy: { allowed_spaces: ['OPS'] },
    });
    expect(patched.status).toBe(200);
    await clearRequestLog();
    const listed = await callTool(id, 'get_confluence_templates', { space_key: 'ENG' });
    expect([listed.status, listed.body.error?.code]).toEqual([404, 'not_found']);
    const fromEng = await callTool(id, 'create_confluence_page_from_template', {
      template_id: DECISION_RECORD,
      space_key: 'OPS',
      title: 'Borrowed',
    });
    expect([fromEng.status, fromEng.body.error?.code]).toEqual([404, 'not_found']);
    // As a template that does not exist: the answer does not say which space it belongs to.
    const missing = await callTool(id, 'create_confluence_page_from_template', {
      template_id: '99999',
      space_key: 'OPS',
      title: 'Borrowed',
    });
    expect(fromEng.body).toEqual(
      JSON.parse(JSON.stringify(missing.body).replaceAll('99999', DECISION_RECORD)),
    );
    expect(await writes()).toEqual([]);
    const site = await callTool(id, 'create_confluence_page_from_template', {
      template_id: MEETING_NOTES,
      space_key: 'OPS',
      title: 'Ops sync',
    });
    expect(site.status).toBe(200);
    expect(site.body.page.space_id).toBe(SEED.spaces.ops.id);
  });
});
