import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl, serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  connectAcme,
  expectNoSpecViolations,
  SEED,
  type ToolAnswer,
} from './support/tools.ts';

/** OPS pages (dev/emulator/seed.ts): outside the ENG-only policy below. */
const OPS = { id: SEED.spaces.ops.id, key: 'OPS', home: '65601', oncall: '65602' };

let id: string;
let opsComment: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
  // A comment on an OPS page, made before the integration was confined.
  const comment = await callTool(id, 'add_confluence_comment', { page_id: OPS.oncall, comment: 'ops note' });
  opsComment = comment.body.comment.id;
  const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
    policy: { allowed_spaces: ['ENG'] },
  });
  expect(patched.status).toBe(200);
  await clearRequestLog();
});

/** Answered exactly as content that does not exist: not_found, and the same words as for a missing id. */
function expectHidden(answer: ToolAnswer, missing: ToolAnswer, hiddenId: string, missingId: string) {
  expect(answer.status).toBe(404);
  expect(missing.status).toBe(404);
  expect(answer.body).toEqual(JSON.parse(JSON.stringify(missing.body).replaceAll(missingId, hiddenId)));
}

async function writesSent(): Promise<string[]> {
  return (await confluenceRequests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

describe('allowed_spaces', () => {
  it('lists only the allowed spaces', async () => {
    const { status, body } = await callTool(id, 'get_confluence_spaces', { limit: 250 });
    expect(status).toBe(200);
    expect(body.spaces.map((space: { key: string }) => space.key)).toEqual(['ENG']);
    await expectNoSpecViolations();
  });

  it('answers the pages of another space as a space that does not exist, by id and by key', async () => {
    const byId = await callTool(id, 'get_confluence_space_pages', { space_id: OPS.id });
    const missingId = await callTool(id, 'get_confluence_space_pages', { space_id: '99999' });
    expectHidden(byId, missingId, OPS.id, '99999');
    const byKey = await callTool(id, 'get_confluence_space_pages', { space_key: OPS.key });
    const missingKey = await callTool(id, 'get_confluence_space_pages', { space_key: 'NOPE' });
    expectHidden(byKey, missingKey, OPS.key, 'NOPE');
    expect((await callTool(id, 'get_confluence_space_pages', { space_key: 'ENG' })).status).toBe(200);
  });

  it('answers a page of another space as a page that does not exist', async () => {
    const hidden = await callTool(id, 'get_confluence_page', { page_id: OPS.oncall });
    const missing = await callTool(id, 'get_confluence_page', { page_id: '12345678' });
    expectHidden(hidden, missing, OPS.oncall, '12345678');
    const own = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(own.status).toBe(200);
  });

  it('writes nothing outside its spaces: create (by id, key or parent), update, comment and reply', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      ['create_confluence_page', { space_id: OPS.id, title: 'Leak', body: 'x' }],
      ['create_confluence_page', { space_key: OPS.key, title: 'Leak', body: 'x' }],
      ['create_confluence_page', { space_key: 'ENG', parent_id: OPS.home, title: 'Leak', body: 'x' }],
      ['update_confluence_page', { page_id: OPS.oncall, version_number: 1, body: 'x' }],
      ['add_confluence_comment', { page_id: OPS.oncall, comment: 'x' }],
      [
        'add_confluence_comment',
        { page_id: SEED.pages.architecture, parent_comment_id: opsComment, comment: 'x' },
      ],
    ];
    for (const [name, args] of attempts) {
      const answer = await callTool(id, name, args);
      expect([name, answer.status, answer.body.error?.code]).toEqual([name, 404, 'not_found']);
    }
    expect(await writesSent()).toEqual([]);
    // Inside ENG every one of them works.
    const created = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      parent_id: SEED.pages.runbooks,
      title: 'Inside',
      body: 'x',
    });
    expect(created.body.error).toBeUndefined();
    const update = await callTool(id, 'update_confluence_page', {
      page_id: created.body.page.id,
      version_number: 1,
      body: 'y',
    });
    expect(update.body.error).toBeUndefined();
    const comment = await callTool(id, 'add_confluence_comment', {
      page_id: created.body.page.id,
      comment: 'c',
    });
    expect(comment.body.error).toBeUndefined();
    const reply = await callTool(id, 'add_confluence_comment', {
      page_id: created.body.page.id,
      parent_comment_id: comment.body.comment.id,
      comment: 'r',
    });
    expect(reply.body.error).toBeUndefined();
    await expectNoSpecViolations();
  });

  it('answers a move under a parent of another space as a move under a parent that does not exist', async () => {
    const move = (parent_id: string) =>
      callTool(id, 'move_confluence_page', {
        page_id: SEED.pages.deployRunbook,
        version_number: 3,
        parent_id,
      });
    expectHidden(await move(OPS.home), await move('12345678'), OPS.home, '12345678');
    expect(await writesSent()).toEqual([]);
  });

  it('an update reads the page once: the fence asks Confluence nothing more', async () => {
    const answer = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      version_number: 5,
      title: 'Architecture',
    });
    expect(answer.status).toBe(200);
    const calls = (await confluenceRequests()).map((r) => `${r.method} ${r.path.replace(/^.*\/wiki/, '')}`);
    expect(calls).toEqual([
      `GET /api/v2/pages/${SEED.pages.architecture}`,
      'GET /api/v2/spaces',
      `PUT /api/v2/pages/${SEED.pages.architecture}`,
    ]);
  });
});

describe('CQL confinement', () => {
  async function search(cql: string): Promise<ToolAnswer> {
    return callTool(id, 'search_confluence_pages', { cql, limit: 100 });
  }

  async function sentCql(): Promise<string> {
    const searches = (await confluenceRequests()).filter((r) => r.path.endsWith('/wiki/rest/api/search'));
    return searches.at(-1)?.query.cql as string;
  }

  function spacesOf(answer: ToolAnswer): string[] {
    return [...new Set(answer.body.pages.map((page: { space_key: string }) => page.space_key))] as string[];
  }

  it('finds only content of the allowed spaces, the query wrapped in them', async () => {
    const confined = await search('type = page');
    expect(confined.status).toBe(200);
    expect(spacesOf(confined)).toEqual(['ENG']);
    expect(await sentCql()).toBe('space in ("ENG") AND (type = page)');
    await expectNoSpecViolations();
  });

  it('an OR in the query cannot reach another space', async () => {
    const answer = await search('type = page OR space = OPS');
    expect(answer.status).toBe(200);
    expect(spacesOf(answer)).toEqual(['ENG']);
    const only = await search('space = OPS');
    expect(only.body.pages).toEqual([]);
  });

  it('keeps a trailing order by outside the parentheses, and it still sorts', async () => {
    const answer = await search('type = page order by title desc');
    expect(answer.status).toBe(200);
    expect(await sentCql()).toBe('space in ("ENG") AND (type = page) order by title desc');
    const titles = answer.body.pages.map((page: { title: string }) => page.title);
    expect(titles).toEqual([...titles].sort((a, b) => b.localeCompare(a)));
  });

  it('treats parentheses, OR and order by inside a quoted phrase (with escaped quotes) as text', async () => {
    const cql = 'title ~ "a\\") OR space = OPS OR (\\"b" OR type = page';
    const answer = await search(cql);
    expect(answer.status).toBe(200);
    expect(spacesOf(answer)).toEqual(['ENG']);
    expect(await sentCql()).toBe(`space in ("ENG") AND (${cql})`);
  });

  it('refuses what cannot be confined, before any upstream call, saying why', async () => {
    const attempts: [string, RegExp][] = [
      ['type = page) OR (space = OPS', /closes a parenthesis that was never opened/],
      ['(type = page', /not closed/],
      ['title ~ "unclosed', /quoted phrase is not closed/],
      ['type = page order by title OR space = OPS', /order by/],
      ['type = page order by title) OR (space = OPS', /never opened/],
      ['title ~ "a\\\\" ) OR space = OPS OR ( title ~ "b"', /backslash/],
      ['title ~ a\\) OR space = OPS', /backslash/],
      ['order by title', /no condition/],
    ];
    for (const [cql, reason] of attempts) {
      const answer = await search(cql);
      expect([cql, answer.status, answer.body.error?.code]).toEqual([cql, 400, 'invalid_arguments']);
      expect(answer.body.error.message).toMatch(reason);
    }
    expect((await confluenceRequests()).filter((r) => r.path.endsWith('/search'))).toEqual([]);
  });
});
