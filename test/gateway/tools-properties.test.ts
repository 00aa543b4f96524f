import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  injectFault,
  SEED,
} from './support/tools.ts';

/** Architecture Overview carries review-status at version 2 (test/emulator/seed.ts). */
const PAGE = SEED.pages.architecture;
const REVIEW = { id: '65960', key: 'review-status' };

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const writes = async () => (await confluenceRequests()).filter((r) => r.method !== 'GET');

describe('get_confluence_page_properties', () => {
  it("lists a page's properties with their JSON values and versions, or reads one key", async () => {
    const all = await callTool(id, 'get_confluence_page_properties', { page_id: PAGE });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page_id: PAGE, has_more: false });
    expect(all.body.properties).toEqual([
      {
        id: REVIEW.id,
        key: REVIEW.key,
        value: { state: 'in-review', reviewers: [SEED.users.bob] },
        version: { number: 2, message: '', author_id: SEED.users.bob, created_at: expect.any(String) },
      },
    ]);
    const none = await callTool(id, 'get_confluence_page_properties', { page_id: PAGE, key: 'absent' });
    expect(none.body.properties).toEqual([]);
    const [, byKey] = await confluenceRequests();
    expect(byKey?.query).toMatchObject({ key: 'absent' });
  });

  it('refuses a malformed key before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_properties', {
      page_id: PAGE,
      key: 'a b',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/key/);
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('set_confluence_page_property', () => {
  it('creates a new key with any JSON value, then replaces it at the version read', async () => {
    const value = { owners: ['platform'], score: 4.5, live: true, notes: null };
    const created = await callTool(id, 'set_confluence_page_property', {
      page_id: PAGE,
      key: 'ownership',
      value,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      created: true,
      property: { key: 'ownership', value, version: { number: 1 } },
    });
    expect((await writes())[0]).toMatchObject({ method: 'POST', body: { key: 'ownership', value } });

    await clearRequestLog();
    const replaced = await callTool(id, 'set_confluence_page_property', {
      page_id: PAGE,
      key: 'ownership',
      value: ['a', 1],
      version_number: 1,
    });
    expect(replaced.body).toMatchObject({
      created: false,
      property: { value: ['a', 1], version: { number: 2 } },
    });
    expect((await writes())[0]).toMatchObject({
      method: 'PUT',
      body: { key: 'ownership', value: ['a', 1], version: { number: 2 } },
    });
    const read = await callTool(id, 'get_confluence_page_properties', { page_id: PAGE, key: 'ownership' });
    expect(read.body.properties[0].value).toEqual(['a', 1]);
  });

  it('refuses to replace an existing key without the current version, naming it, and writes nothing', async () => {
    for (const version_number of [undefined, 1]) {
      const { status, body } = await callTool(id, 'set_confluence_page_property', {
        page_id: PAGE,
        key: REVIEW.key,
        value: { state: 'approved' },
        ...(version_number !== undefined && { version_number }),
      });
      expect(status).toBe(409);
      expect(body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
      expect(body.error.message).toMatch(/get_confluence_page_properties/);
    }
    expect(await writes()).toEqual([]);
  });

  it('reports a save by someone else between its read and its write as version_conflict', async () => {
    await injectFault({ match: { method: 'PUT', path_contains: `/properties/${REVIEW.id}` }, status: 409 });
    const { status, body } = await callTool(id, 'set_confluence_page_property', {
      page_id: PAGE,
      key: REVIEW.key,
      value: 'approved',
      version_number: 2,
    });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
  });

  it('refuses a value over 32 KB of JSON before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'set_confluence_page_property', {
      page_id: PAGE,
      key: 'big',
      value: { text: 'x'.repeat(33 * 1024) },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
    expect(body.error.message).toMatch(/too large.*32768/);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('answers not_found when a version is given for a key the page does not have', async () => {
    const { status, body } = await callTool(id, 'set_confluence_page_property', {
      page_id: PAGE,
      key: 'ghost',
      value: 1,
      version_number: 3,
    });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/Omit version_number to create it/);
    expect(await writes()).toEqual([]);
  });
});

describe('delete_confluence_page_property', () => {
  it('deletes a key at the version read, and refuses a stale version or a missing key', async () => {
    const stale = await callTool(id, 'delete_confluence_page_property', {
      page_id: PAGE,
      key: REVIEW.key,
      version_number: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(await writes()).toEqual([]);

    const deleted = await callTool(id, 'delete_confluence_page_property', {
      page_id: PAGE,
      key: REVIEW.key,
      version_number: 2,
    });
    expect(deleted.status).toBe(200);
    expect((await writes()).map((r) => [r.method, r.path.replace(/^.*\/wiki\/api\/v2/, '')])).toEqual([
      ['DELETE', `/pages/${PAGE}/properties/${REVIEW.id}`],
    ]);
    const again = await callTool(id, 'delete_confluence_page_property', {
      page_id: PAGE,
      key: REVIEW.key,
      version_number: 2,
    });
    expect(again.status).toBe(404);
  });
});

describe("a blog post's properties", () => {
  it('reads, replaces and deletes them by blogpost_id, on the blog post paths', async () => {
    const POST = '65547';
    const read = await callTool(id, 'get_confluence_page_properties', { blogpost_id: POST });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      blogpost_id: POST,
      properties: [{ key: 'audience', value: ['engineering'], version: { number: 1 } }],
    });
    expect(read.body.page_id).toBeUndefined();
    const set = await callTool(id, 'set_confluence_page_property', {
      blogpost_id: POST,
      key: 'audience',
      value: ['everyone'],
      version_number: 1,
    });
    expect(set.body).toMatchObject({
      blogpost_id: POST,
      created: false,
      property: { version: { number: 2 } },
    });
    expect(set.body.message).toMatch(/of blog post 65547/);
    const deleted = await callTool(id, 'delete_confluence_page_property', {
      blogpost_id: POST,
      key: 'audience',
      version_number: 2,
    });
    expect(deleted.status).toBe(200);
    const paths = (await writes()).map((r) => r.path.replace(/^.*\/wiki\/api\/v2/, ''));
    expect(paths).toEqual(['/blogposts/65547/properties/65961', '/blogposts/65547/properties/65961']);
  });

  it('asks for exactly one of page_id and blogpost_id', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_properties', {
      page_id: PAGE,
      blogpost_id: '65547',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/page_id .*blogpost_id/);
    expect(await confluenceRequests()).toEqual([]);
  });
});
