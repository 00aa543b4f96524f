import { beforeEach, describe, expect, it } from 'vitest';
import { tools } from '../../src/tools/registry.ts';
import { writeCalls } from '../support/write-calls.ts';
import { emulatorControl, serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  connectAcme,
  expectNoSpecViolations,
} from './support/tools.ts';

/** Architecture Overview (65538) is in ENG, with comments, attachments and a history; ENG is not allowed here. */
const ENG_PAGE = '65538';
const ENG_ATTACHMENT = 'att66001';
const OPS_PAGE = '65602';
/** Release Notes: November 2026, a blog post of ENG. */
const ENG_BLOG_POST = '65547';

/** Each read tool aimed at ENG content. Tools that hold no space content are listed with null. */
const READS_OF_ENG: Record<string, Record<string, unknown> | null> = {
  get_confluence_space_pages: { space_key: 'ENG' },
  get_confluence_page: { page_id: ENG_PAGE },
  get_confluence_page_children: { page_id: ENG_PAGE },
  get_confluence_page_ancestors: { page_id: ENG_PAGE },
  get_confluence_comments: { page_id: ENG_PAGE },
  get_confluence_page_history: { page_id: ENG_PAGE },
  compare_confluence_page_versions: { page_id: ENG_PAGE, from_version: 1 },
  get_confluence_attachments: { page_id: ENG_PAGE },
  get_confluence_attachment_content: { attachment_id: ENG_ATTACHMENT },
  get_confluence_space_blogposts: { space_key: 'ENG' },
  get_confluence_blogpost: { blogpost_id: ENG_BLOG_POST },
  get_confluence_page_properties: { page_id: ENG_PAGE },
  get_confluence_tasks: { page_id: ENG_PAGE },
  get_confluence_folder: { folder_id: '65560' },
  get_confluence_templates: { space_key: 'ENG' },
  get_confluence_page_restrictions: { page_id: ENG_PAGE },
  get_confluence_whiteboard_or_database: { id: '65563', type: 'database' },
  fetch: { id: ENG_PAGE },
  // Confined by what they list, tested below and in policy-spaces.test.ts.
  get_confluence_spaces: null,
  search_confluence_pages: null,
  search: null,
  // People, not space content.
  search_confluence_users: null,
};

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
  expect(
    (await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { allowed_spaces: ['OPS'] } })).status,
  ).toBe(200);
  await clearRequestLog();
});

describe('allowed_spaces holds on every tool', () => {
  it('every read tool answers content of another space as not_found', async () => {
    for (const tool of tools.filter((t) => t.annotations.readOnlyHint)) {
      expect(READS_OF_ENG, `no case for ${tool.name}`).toHaveProperty(tool.name);
      const args = READS_OF_ENG[tool.name];
      if (!args) continue;
      const answer = await callTool(id, tool.name, args);
      expect([tool.name, answer.status, answer.body.error?.code]).toEqual([tool.name, 404, 'not_found']);
    }
    await expectNoSpecViolations();
  });

  it('a folder, whiteboard or smart link of another space is answered not_found through node_type', async () => {
    for (const [page_id, node_type] of [
      ['65560', 'folder'],
      ['65562', 'whiteboard'],
      ['65565', 'embed'],
    ]) {
      for (const name of ['get_confluence_page_children', 'get_confluence_page_ancestors']) {
        const answer = await callTool(id, name, { page_id, node_type });
        expect([name, node_type, answer.status, answer.body.error?.code]).toEqual([
          name,
          node_type,
          404,
          'not_found',
        ]);
      }
    }
    const trees = (await confluenceRequests()).filter((r) => /children|ancestors|descendants/.test(r.path));
    expect(trees).toEqual([]);
    await expectNoSpecViolations();
  });

  it('content reached through its page answers as missing content, naming neither the page nor that it exists', async () => {
    const missing = '99999999';
    for (const [name, args, hidden] of [
      ['get_confluence_attachment_content', (x: string) => ({ attachment_id: `att${x}` }), '66001'],
      ['resolve_confluence_inline_comment', (x: string) => ({ comment_id: x }), '65904'],
      [
        'add_confluence_comment',
        (x: string) => ({ page_id: OPS_PAGE, parent_comment_id: x, comment: 'reply' }),
        '65901',
      ],
    ] as const) {
      const answer = await callTool(id, name, args(hidden));
      const absent = await callTool(id, name, args(missing));
      expect([name, answer.status]).toEqual([name, 404]);
      expect(JSON.stringify(answer.body)).not.toContain(ENG_PAGE);
      expect(answer.body).toEqual(JSON.parse(JSON.stringify(absent.body).replaceAll(missing, hidden)));
    }
    const writes = (await confluenceRequests()).filter((request) => request.method !== 'GET');
    expect(writes).toEqual([]);
    // The agent cannot tell, but the operator sees each of the three as refused by the fence.
    const audit = await serviceApi('GET', `/api/v1/integrations/${id}/audit?limit=200`);
    const { entries } = (await audit.json()) as { entries: { tool: string; refused_by?: object }[] };
    const fenced = entries.filter((entry) => entry.refused_by !== undefined).map((entry) => entry.tool);
    expect(new Set(fenced)).toEqual(
      new Set([
        'get_confluence_attachment_content',
        'resolve_confluence_inline_comment',
        'add_confluence_comment',
      ]),
    );
  });

  it('every write tool aimed at another space sends nothing and answers not_found', async () => {
    for (const [name, args] of writeCalls()) {
      const answer = await callTool(id, name, args);
      expect([name, answer.status, answer.body.error?.code]).toEqual([name, 404, 'not_found']);
    }
    const writes = (await confluenceRequests()).filter((request) => request.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it('inside its spaces the same tools work', async () => {
    for (const [name, args] of [
      ['get_confluence_page_children', { page_id: OPS_PAGE }],
      ['get_confluence_page_ancestors', { page_id: OPS_PAGE }],
      ['get_confluence_comments', { page_id: OPS_PAGE }],
      ['get_confluence_page_history', { page_id: OPS_PAGE }],
      ['get_confluence_attachments', { page_id: OPS_PAGE }],
      ['add_confluence_labels', { page_id: OPS_PAGE, labels: ['oncall'] }],
    ] as const) {
      const answer = await callTool(id, name, args);
      expect([name, answer.body.error]).toEqual([name, undefined]);
    }
    await expectNoSpecViolations();
  });
});
