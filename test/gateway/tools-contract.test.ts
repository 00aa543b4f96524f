/**
 * Every result field CONTRACT.md names for the seven tools (Potpie's fields), checked by name, so
 * that renaming or dropping one breaks a test. Tools may add fields; they may not lose these.
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
  });

  it('get_confluence_page', async () => {
    const { body } = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expectFields(body.page, [...PAGE_SUMMARY, 'position', 'version', 'content', 'content_format', 'labels']);
    expect(Object.keys(body.page.version).sort()).toEqual(['created_at', 'message', 'number']);
  });

  it('get_confluence_space_pages', async () => {
    const { body } = await callTool(id, 'get_confluence_space_pages', {
      space_id: SEED.spaces.bulk.id,
      limit: 5,
    });
    expectFields(body, ['space_id', 'pages', 'total', 'status_filter', 'has_more', 'next_cursor']);
    expectFields(body.pages[0], PAGE_SUMMARY);
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
      'space_key',
      'space_name',
      'version',
    ]);
  });

  it('create_confluence_page and update_confluence_page', async () => {
    const created = await callTool(id, 'create_confluence_page', {
      space_id: SEED.spaces.eng.id,
      title: 'Contract check',
      body: 'Hello.',
    });
    expectFields(created.body, ['page', 'message']);
    expectFields(created.body.page, ['id', 'status', 'title', 'version', '_links']);
    const updated = await callTool(id, 'update_confluence_page', {
      page_id: created.body.page.id,
      version_number: created.body.page.version,
      body: 'Hello again.',
    });
    expectFields(updated.body, ['page', 'message']);
    expectFields(updated.body.page, ['id', 'status', 'title', 'version', '_links']);
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
  });
});
