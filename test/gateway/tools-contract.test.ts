/**
 * Every result field docs/reference/CONTRACT.md names for the seven tools (Potpie's fields), checked by name and by
 * value against the seeded world, so that renaming, dropping or mis-filling one breaks a test.
 * Tools may add fields; they may not lose these.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, connectAcme, expectNoSpecViolations, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
});
afterEach(expectNoSpecViolations);

function expectFields(value: unknown, fields: string[]) {
  expect(Object.keys(value as object)).toEqual(expect.arrayContaining(fields));
}

const ISO_TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
const NUMERIC_ID = expect.stringMatching(/^\d+$/);

const PAGE_SUMMARY = [
  'id',
  'status',
  'title',
  'space_id',
  'parent_id',
  'parent_type',
  'author_id',
  'created_at',
];

describe('result fields named by the contract', () => {
  it('get_confluence_spaces', async () => {
    const { body } = await callTool(id, 'get_confluence_spaces', { limit: 2 });
    expectFields(body, ['success', 'spaces', 'total', 'has_more', 'next_cursor']);
    expectFields(body.spaces[0], ['id', 'key', 'name', 'type', 'status', 'homepage_id', 'description']);
    expect(body).toMatchObject({ success: true, total: 2, has_more: true, next_cursor: expect.any(String) });
    expect(body.spaces[0]).toEqual({
      id: SEED.spaces.eng.id,
      key: 'ENG',
      name: 'Engineering',
      type: 'global',
      status: 'current',
      homepage_id: SEED.pages.engHome,
      description: 'Engineering: documentation and decisions.',
    });
  });

  it('get_confluence_page', async () => {
    const { body } = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expectFields(body.page, [...PAGE_SUMMARY, 'position', 'version', 'content', 'content_format', 'labels']);
    expect(Object.keys(body.page.version).sort()).toEqual(['created_at', 'message', 'number']);
    expect(body.page).toMatchObject({
      id: SEED.pages.architecture,
      status: 'current',
      title: 'Architecture Overview',
      space_id: SEED.spaces.eng.id,
      parent_id: SEED.pages.engHome,
      parent_type: 'page',
      position: 0,
      author_id: expect.any(String),
      created_at: ISO_TIME,
      version: { number: 5, message: 'Edit 5', created_at: ISO_TIME },
      content_format: 'storage',
    });
    expect(body.page.content).toMatch(/^<h1>Architecture Overview<\/h1>/);
    expect(body.page.labels.map((label: { name: string }) => label.name).sort()).toEqual([
      'architecture',
      'design',
    ]);
  });

  it('get_confluence_space_pages', async () => {
    const { body } = await callTool(id, 'get_confluence_space_pages', {
      space_id: SEED.spaces.bulk.id,
      limit: 5,
    });
    expectFields(body, ['space_id', 'pages', 'total', 'status_filter', 'has_more', 'next_cursor']);
    expectFields(body.pages[0], PAGE_SUMMARY);
    expect(body).toMatchObject({
      space_id: SEED.spaces.bulk.id,
      total: 5,
      status_filter: 'current',
      has_more: true,
      next_cursor: expect.any(String),
    });
    expect(body.pages).toHaveLength(5);
    for (const page of body.pages) {
      expect(page).toMatchObject({
        id: NUMERIC_ID,
        status: 'current',
        title: expect.stringMatching(/^Bulk /),
        space_id: SEED.spaces.bulk.id,
        author_id: expect.any(String),
        created_at: ISO_TIME,
      });
    }
  });

  it('search_confluence_pages', async () => {
    const { body } = await callTool(id, 'search_confluence_pages', { cql: 'space = BULK', limit: 5 });
    expectFields(body, ['pages', 'total', 'limit', 'has_more', 'query', 'next_cursor']);
    expectFields(body.pages[0], [
      'id',
      'status',
      'title',
      'url',
      'excerpt',
      'last_modified',
      'entity_type',
      'type',
      'space_key',
      'space_name',
      'version',
    ]);
    expect(body).toMatchObject({
      total: SEED.bulkPageCount,
      limit: 5,
      has_more: true,
      query: 'space = BULK',
      next_cursor: expect.any(String),
    });
    expect(body.pages).toHaveLength(5);
    expect(body.pages[0]).toMatchObject({
      id: NUMERIC_ID,
      status: 'current',
      title: expect.stringMatching(/^Bulk /),
      url: expect.stringMatching(/^https:\/\/acme\.atlassian\.net\/wiki\/spaces\/BULK\/pages\/\d+/),
      excerpt: expect.any(String),
      last_modified: ISO_TIME,
      entity_type: 'content',
      type: 'page',
      space_key: 'BULK',
      space_name: 'Bulk Test Space',
      version: expect.any(Number),
    });
  });

  it('create_confluence_page and update_confluence_page', async () => {
    const created = await callTool(id, 'create_confluence_page', {
      space_id: SEED.spaces.eng.id,
      title: 'Contract check',
      body: 'Hello.',
    });
    expectFields(created.body, ['page', 'message']);
    expectFields(created.body.page, ['id', 'status', 'title', 'version', '_links']);
    expect(created.body.page).toMatchObject({
      id: NUMERIC_ID,
      status: 'current',
      title: 'Contract check',
      version: 1,
      _links: { webui: expect.stringContaining(`/pages/${created.body.page.id}/`) },
    });
    const updated = await callTool(id, 'update_confluence_page', {
      page_id: created.body.page.id,
      version_number: created.body.page.version,
      body: 'Hello again.',
    });
    expectFields(updated.body, ['page', 'message']);
    expectFields(updated.body.page, ['id', 'status', 'title', 'version', '_links']);
    expect(updated.body.page).toMatchObject({
      id: created.body.page.id,
      status: 'current',
      title: 'Contract check',
    });
    expect(updated.body.page.version).toBe(created.body.page.version + 1);
  });

  it('add_confluence_comment', async () => {
    const { body } = await callTool(id, 'add_confluence_comment', {
      page_id: SEED.pages.architecture,
      comment: 'Looks right.',
    });
    expectFields(body, ['comment', 'message']);
    expectFields(body.comment, [
      'id',
      'status',
      'title',
      'page_id',
      'parent_comment_id',
      'version',
      'author_id',
      'created_at',
      '_links',
    ]);
    expect(body.comment).toMatchObject({
      id: NUMERIC_ID,
      status: 'current',
      title: 'Re: Architecture Overview',
      page_id: SEED.pages.architecture,
      parent_comment_id: null,
      version: 1,
      author_id: expect.any(String),
      created_at: ISO_TIME,
      _links: { webui: expect.any(String) },
    });
  });
});
