import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../dev/emulator/seed.ts';
import { type LooseJson, startTestEmulator, type TestEmulator } from './test-client.ts';

let emulator: TestEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control('/reset', {});
  token = (await emulator.connect()).access_token;
});

const v2 = (path: string, init?: RequestInit) => emulator.confluence(token, `/wiki/api/v2${path}`, init);
const json = async (response: Response) => (await response.json()) as LooseJson;
const { eng, bulk } = SEED.spaces;
const { architecture } = SEED.pages;

const updateBody = (version: number, title: string = architecture.title) => ({
  id: architecture.id,
  status: 'current',
  title,
  body: { representation: 'storage', value: '<p>Rewritten</p>' },
  version: { number: version, message: 'Rewrite' },
});

describe('access', () => {
  it('answers a missing or unknown token with 401 Unauthorized', async () => {
    const response = await emulator.confluence('nope', '/wiki/api/v2/spaces');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 401, message: 'Unauthorized' });
  });

  it('answers a token without the operation scope with 401 "scope does not match"', async () => {
    const narrow = await emulator.connect('read:page:confluence');
    const response = await emulator.confluence(narrow.access_token, '/wiki/api/v2/spaces');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 401, message: 'Unauthorized; scope does not match' });
  });

  it('answers an unknown cloud id with 404', async () => {
    const response = await emulator.confluence(
      token,
      '/wiki/api/v2/spaces',
      {},
      '00000000-0000-0000-0000-000000000000',
    );
    expect(response.status).toBe(404);
  });

  it('answers 401 for a site the consent did not cover', async () => {
    await emulator.control('/config', { site_preset: 'single' });
    const singleSiteToken = (await emulator.connect()).access_token;
    await emulator.control('/config', { site_preset: 'default' });
    const response = await emulator.confluence(
      singleSiteToken,
      '/wiki/api/v2/spaces',
      {},
      SEED.sites.globex.cloudId,
    );
    expect(response.status).toBe(401);
  });

  it('serves each Confluence site its own content', async () => {
    const response = await emulator.confluence(token, '/wiki/api/v2/spaces', {}, SEED.sites.globex.cloudId);
    expect((await json(response)).results.map((s: { key: string }) => s.key)).toEqual(['GLX', 'ENG']);
  });
});

describe('GET /spaces', () => {
  it('lists spaces as SpaceBulk with string ids and application/json', async () => {
    const response = await v2('/spaces');
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = await json(response);
    expect(body.results[0]).toMatchObject({
      id: eng.id,
      key: 'ENG',
      name: 'Engineering',
      type: 'global',
      status: 'current',
      homepageId: eng.homepageId,
      _links: { webui: '/spaces/ENG' },
    });
    expect(body._links).toEqual({ base: 'https://acme.atlassian.net/wiki' });
  });

  it('filters by keys, type and status', async () => {
    const keys = (await json(await v2('/spaces?keys=ENG,BULK'))).results.map((s: { key: string }) => s.key);
    expect(keys).toEqual(['ENG', 'BULK']);
    const personal = (await json(await v2('/spaces?type=personal'))).results;
    expect(personal.map((s: { id: string }) => s.id)).toEqual([SEED.spaces.personal.id]);
    const archived = (await json(await v2('/spaces?status=archived'))).results;
    expect(archived.map((s: { key: string }) => s.key)).toEqual(['ARCH']);
  });

  it.each(['0', '251', 'ten'])('answers limit=%s with 400 INVALID_REQUEST_PARAMETER', async (limit) => {
    const response = await v2(`/spaces?limit=${limit}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ status: 400, code: 'INVALID_REQUEST_PARAMETER', title: expect.any(String), detail: null }],
    });
  });
});

describe('cursor paging', () => {
  it('pages through all of BULK with _links.next, keeping limit and filters', async () => {
    const seen: string[] = [];
    let next: string | undefined = `/wiki/api/v2/spaces/${bulk.id}/pages?limit=100&status=current`;
    let calls = 0;
    while (next) {
      const response = await emulator.confluence(token, next);
      const body = await json(response);
      seen.push(...body.results.map((p: { id: string }) => p.id));
      next = body._links.next;
      if (next) {
        expect(next).toMatch(/^\/wiki\/api\/v2\/spaces\/98307\/pages\?.*limit=100.*cursor=/);
        expect(next).toContain('status=current');
        expect(response.headers.get('link')).toBe(
          `<${next}>; rel="next", <https://acme.atlassian.net/wiki>; rel="base"`,
        );
      }
      calls++;
    }
    expect(calls).toBe(3);
    expect(seen).toHaveLength(SEED.bulkPageCount);
    expect(new Set(seen).size).toBe(SEED.bulkPageCount);
  });

  it('answers a malformed cursor with 400', async () => {
    expect((await v2('/spaces?cursor=not-a-cursor')).status).toBe(400);
  });
});

describe('GET /spaces/{id}/pages', () => {
  it('filters by title and returns storage bodies when asked', async () => {
    const body = await json(
      await v2(`/spaces/${eng.id}/pages?title=${encodeURIComponent('Deploy Runbook')}&body-format=storage`),
    );
    expect(body.results).toHaveLength(1);
    expect(body.results[0].body.storage.value).toContain('ac:structured-macro');
  });

  it('hides restricted and draft pages', async () => {
    const body = await json(await v2(`/spaces/${eng.id}/pages?limit=250`));
    const ids = body.results.map((p: { id: string }) => p.id);
    expect(ids).toContain(architecture.id);
    expect(ids).not.toContain(SEED.pages.restricted.id);
    expect(ids).not.toContain(SEED.pages.draft.id);
  });

  it('answers an unknown space with 404', async () => {
    expect((await v2('/spaces/424242/pages')).status).toBe(404);
  });
});

describe('GET /pages/{id}', () => {
  it('returns PageSingle with version, links and labels', async () => {
    const page = await json(await v2(`/pages/${architecture.id}?include-labels=true`));
    expect(page).toMatchObject({
      id: architecture.id,
      title: architecture.title,
      spaceId: eng.id,
      parentId: eng.homepageId,
      parentType: 'page',
      version: { number: 5, minorEdit: false, authorId: expect.any(String), createdAt: expect.any(String) },
      body: {},
      _links: {
        webui: '/spaces/ENG/pages/65538/Architecture+Overview',
        base: 'https://acme.atlassian.net/wiki',
      },
    });
    expect(page.labels.results.map((l: { name: string }) => l.name)).toEqual(['architecture', 'design']);
    expect(page.labels.results[0]).toEqual({
      id: expect.any(String),
      name: 'architecture',
      prefix: 'global',
    });
  });

  it('renders view deterministically, code macros as <pre>', async () => {
    const first = await json(await v2(`/pages/${architecture.id}?body-format=view`));
    const second = await json(await v2(`/pages/${architecture.id}?body-format=view`));
    expect(first.body.view.representation).toBe('view');
    expect(first.body.view.value).toContain('<pre class="syntaxhighlighter-pre"');
    expect(first.body.view.value).not.toContain('ac:');
    expect(first.body.view.value).toBe(second.body.view.value);
  });

  it('renders include and excerpt-include of a page of another space in view, as Confluence does', async () => {
    const include = (macro: string, target: string) =>
      `<ac:structured-macro ac:name="${macro}"><ac:parameter ac:name=""><ac:link>${target}</ac:link></ac:parameter></ac:structured-macro>`;
    const oncall = '<ri:page ri:space-key="OPS" ri:content-title="On-call Schedule"/>';
    await emulator.control(`/pages/${architecture.id}/edit`, {
      body: `<p>Rota:</p>${include('include', oncall)}${include('excerpt-include', oncall)}${include('include', '<ri:page ri:content-title="Nowhere"/>')}`,
    });
    const view = (await json(await v2(`/pages/${architecture.id}?body-format=view`))).body.view.value;
    expect(view).toContain('data-macro-name="include"');
    expect(view).toContain('Alice');
    expect(view).toContain('Unable to render {include}');
    expect(view).not.toContain('ac:');
    // Storage shows the macro, not what it pulls in.
    const storage = (await json(await v2(`/pages/${architecture.id}?body-format=storage`))).body.storage
      .value;
    expect(storage).not.toContain('Alice');
  });

  it('returns atlas_doc_format as an ADF JSON string', async () => {
    const page = await json(await v2(`/pages/${SEED.pages.deployRunbook.id}?body-format=atlas_doc_format`));
    const doc = JSON.parse(page.body.atlas_doc_format.value);
    expect(doc).toMatchObject({ type: 'doc', version: 1 });
    expect(doc.content.some((n: { type: string }) => n.type === 'codeBlock')).toBe(true);
  });

  it('serves the large and huge bodies at their sizes', async () => {
    const large = await json(await v2(`/pages/${SEED.pages.large.id}?body-format=storage`));
    const huge = await json(await v2(`/pages/${SEED.pages.huge.id}?body-format=storage`));
    expect(large.body.storage.value.length).toBeGreaterThan(50 * 1024);
    expect(large.body.storage.value.length).toBeLessThan(60 * 1024);
    expect(huge.body.storage.value.length).toBeGreaterThan(1024 * 1024);
  });

  it('answers missing and restricted pages alike with 404', async () => {
    const missing = await v2('/pages/999999');
    const restricted = await v2(`/pages/${SEED.pages.restricted.id}`);
    expect(missing.status).toBe(404);
    expect(restricted.status).toBe(404);
    expect(await restricted.json()).toEqual(await missing.json());
  });

  it('returns a draft only with get-draft=true', async () => {
    expect((await v2(`/pages/${SEED.pages.draft.id}`)).status).toBe(404);
    const draft = await json(await v2(`/pages/${SEED.pages.draft.id}?get-draft=true`));
    expect(draft.status).toBe('draft');
  });

  it('can leave out the version', async () => {
    const page = await json(await v2(`/pages/${architecture.id}?include-version=false`));
    expect(page.version).toBeUndefined();
  });
});

describe('PUT /pages/{id}', () => {
  it('refuses a version that is not current+1 with 409 CONFLICT naming both versions', async () => {
    const response = await v2(`/pages/${architecture.id}`, {
      method: 'PUT',
      body: JSON.stringify(updateBody(5)),
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      errors: [
        {
          status: 409,
          code: 'CONFLICT',
          title:
            'Version must be incremented when updating a page. Current Version: [5]. Provided version: [5]',
          detail: null,
        },
      ],
    });
  });

  it('records the new version: number, message, author, time', async () => {
    await emulator.control('/clock', { advance_seconds: 600 });
    const clock = await emulator.control<{ now: string }>('/clock');
    const response = await v2(`/pages/${architecture.id}`, {
      method: 'PUT',
      body: JSON.stringify(updateBody(6)),
    });
    expect(response.status).toBe(200);
    const page = await json(response);
    expect(page.version).toMatchObject({
      number: 6,
      message: 'Rewrite',
      authorId: SEED.users.current.accountId,
    });
    expect(Date.parse(page.version.createdAt)).toBeGreaterThanOrEqual(Date.parse(clock.now));
    const reread = await json(await v2(`/pages/${architecture.id}?body-format=storage`));
    expect(reread.body.storage.value).toBe('<p>Rewritten</p>');
    expect(reread.version.number).toBe(6);
  });

  it('sees an edit made by someone else as a version conflict', async () => {
    await emulator.control(`/pages/${architecture.id}/edit`, { body: '<p>Bob was here</p>' });
    const response = await v2(`/pages/${architecture.id}`, {
      method: 'PUT',
      body: JSON.stringify(updateBody(6)),
    });
    expect(response.status).toBe(409);
  });

  it('refuses a title another page in the space has with 400', async () => {
    const response = await v2(`/pages/${architecture.id}`, {
      method: 'PUT',
      body: JSON.stringify(updateBody(6, 'Deploy Runbook')),
    });
    expect(response.status).toBe(400);
  });

  it('answers a restricted page with 404', async () => {
    const response = await v2(`/pages/${SEED.pages.restricted.id}`, {
      method: 'PUT',
      body: JSON.stringify({ ...updateBody(2), id: SEED.pages.restricted.id }),
    });
    expect(response.status).toBe(404);
  });
});

describe('POST /pages', () => {
  const create = (body: Record<string, unknown>) =>
    v2('/pages', { method: 'POST', body: JSON.stringify(body) });

  it('creates a page under the space homepage at version 1', async () => {
    const response = await create({
      spaceId: eng.id,
      status: 'current',
      title: 'Fresh page',
      body: { representation: 'storage', value: '<p>Hi</p>' },
    });
    expect(response.status).toBe(200);
    const page = await json(response);
    expect(page).toMatchObject({
      title: 'Fresh page',
      spaceId: eng.id,
      parentId: eng.homepageId,
      status: 'current',
      version: { number: 1 },
    });
    expect((await v2(`/pages/${page.id}`)).status).toBe(200);
  });

  it('refuses a duplicate title in the same space with 400', async () => {
    const response = await create({
      spaceId: eng.id,
      status: 'current',
      title: architecture.title,
      body: { representation: 'storage', value: '<p/>' },
    });
    expect(response.status).toBe(400);
    expect((await json(response)).errors[0].title).toContain('already exists');
  });

  it('refuses bodies over 5 MB with 413', async () => {
    const value = 'x'.repeat(5 * 1024 * 1024 + 1);
    const response = await create({
      spaceId: eng.id,
      status: 'current',
      title: 'Too big',
      body: { representation: 'storage', value },
    });
    expect(response.status).toBe(413);
  });

  it('answers an unknown space with 404', async () => {
    const response = await create({
      spaceId: '4242',
      status: 'current',
      title: 'Nowhere',
      body: { representation: 'storage', value: '<p/>' },
    });
    expect(response.status).toBe(404);
  });
});

describe('POST /footer-comments', () => {
  const comment = (body: Record<string, unknown>) =>
    v2('/footer-comments', { method: 'POST', body: JSON.stringify(body) });

  it('adds a comment to a page with 201', async () => {
    const response = await comment({
      pageId: architecture.id,
      body: { representation: 'storage', value: '<p>Nice</p>' },
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      pageId: architecture.id,
      status: 'current',
      version: { number: 1 },
      body: { storage: { value: '<p>Nice</p>' } },
    });
  });

  it('replies to a comment', async () => {
    const response = await comment({
      parentCommentId: SEED.comments.onArchitecture.id,
      body: { representation: 'storage', value: '<p>Agreed</p>' },
    });
    expect(response.status).toBe(201);
    expect((await json(response)).parentCommentId).toBe(SEED.comments.onArchitecture.id);
  });

  it('answers a restricted page with 404', async () => {
    const response = await comment({
      pageId: SEED.pages.restricted.id,
      body: { representation: 'storage', value: '<p>x</p>' },
    });
    expect(response.status).toBe(404);
  });
});

describe('POST /inline-comments', () => {
  const comment = (body: Record<string, unknown>) =>
    v2('/inline-comments', { method: 'POST', body: JSON.stringify(body) });
  const on = (selection: string) => ({
    body: { representation: 'storage', value: '<p>Why?</p>' },
    inlineCommentProperties: {
      textSelection: selection,
      textSelectionMatchCount: 1,
      textSelectionMatchIndex: 0,
    },
  });

  it('anchors a comment to a passage of a blog post, answering blogPostId', async () => {
    const response = await comment({ blogPostId: SEED.pages.blogPost.id, ...on('cursor pagination') });
    expect(response.status).toBe(201);
    const created = await json(response);
    expect(created).toMatchObject({ blogPostId: SEED.pages.blogPost.id, resolutionStatus: 'open' });
    expect(created.pageId).toBeUndefined();
  });

  it('answers a blogPostId that names a page with 404, and both containers at once with 400', async () => {
    expect((await comment({ blogPostId: architecture.id, ...on('platform') })).status).toBe(404);
    const both = await comment({
      pageId: architecture.id,
      blogPostId: SEED.pages.blogPost.id,
      ...on('platform'),
    });
    expect(both.status).toBe(400);
  });
});

describe('reset', () => {
  it('puts content back to the seed', async () => {
    await v2(`/pages/${architecture.id}`, { method: 'PUT', body: JSON.stringify(updateBody(6)) });
    await emulator.control('/reset', {});
    token = (await emulator.connect()).access_token;
    expect((await json(await v2(`/pages/${architecture.id}`))).version.number).toBe(5);
  });

  it('exposes the seed constants at /_emulator/seed', async () => {
    expect(await emulator.control('/seed')).toEqual(JSON.parse(JSON.stringify(SEED)));
  });
});
