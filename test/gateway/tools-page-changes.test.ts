import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const P = SEED.pages;
const T = SEED.tree;

async function writes() {
  return (await confluenceRequests()).filter((r) => r.method !== 'GET');
}

describe('add_confluence_inline_comment', () => {
  it('anchors a comment to a passage, sending the match count Confluence checks', async () => {
    const { status, body } = await callTool(id, 'add_confluence_inline_comment', {
      page_id: P.architecture,
      text_selection: 'stateless services',
      comment: 'Which ones **exactly**?',
      body_format: 'markdown',
    });
    expect(status).toBe(200);
    expect(body.comment).toMatchObject({
      page_id: P.architecture,
      text_selection: 'stateless services',
      match_index: 0,
      match_count: 1,
      resolution_status: 'open',
      version: 1,
    });
    const [post] = await writes();
    expect(post?.body).toEqual({
      pageId: P.architecture,
      body: { representation: 'storage', value: '<p>Which ones <strong>exactly</strong>?</p>' },
      inlineCommentProperties: {
        textSelection: 'stateless services',
        textSelectionMatchCount: 1,
        textSelectionMatchIndex: 0,
      },
    });
    const read = await callTool(id, 'get_confluence_comments', { page_id: P.architecture, kind: 'inline' });
    expect(read.body.comments.map((c: { text_selection: string }) => c.text_selection)).toContain(
      'stateless services',
    );
  });

  it('finds text across markup and entities, and picks the occurrence match_index names', async () => {
    // "edge gateway" occurs twice: in bold in the first paragraph, then in a list item.
    const { body } = await callTool(id, 'add_confluence_inline_comment', {
      page_id: P.architecture,
      text_selection: 'edge gateway',
      match_index: 1,
      comment: 'Second mention.',
    });
    expect(body.comment).toMatchObject({ match_index: 1, match_count: 2 });
  });

  it('refuses a selection that is not on the page, or an index past its matches, with the count', async () => {
    const missing = await callTool(id, 'add_confluence_inline_comment', {
      page_id: P.architecture,
      text_selection: 'quantum router',
      comment: 'x',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_arguments', match_count: 0 });
    expect(missing.body.error.message).toMatch(/not on page 65538 \(0 matches\)/);
    const past = await callTool(id, 'add_confluence_inline_comment', {
      page_id: P.architecture,
      text_selection: 'stateless services',
      match_index: 3,
      comment: 'x',
    });
    expect(past.body.error).toMatchObject({ code: 'invalid_arguments', match_count: 1 });
    expect(past.body.error.message).toMatch(/occurs 1 time .*match_index must be 0 to 0, not 3/);
    expect(await writes()).toEqual([]);
  });
});

describe('move_confluence_page', () => {
  it('moves a page under another parent in its space, saving a new version', async () => {
    const { status, body } = await callTool(id, 'move_confluence_page', {
      page_id: P.apiGuidelines,
      version_number: 1,
      parent_id: P.runbooks,
    });
    expect(status).toBe(200);
    expect(body.page).toMatchObject({ id: P.apiGuidelines, parent_id: P.runbooks, version: 2 });
    expect(body.previous_parent_id).toBe(P.engHome);
    const [put] = await writes();
    expect(put?.body).toMatchObject({
      parentId: P.runbooks,
      version: { number: 2 },
      title: 'API Guidelines',
    });
    const children = await callTool(id, 'get_confluence_page_children', { page_id: P.runbooks });
    expect(children.body.pages.map((p: { id: string }) => p.id)).toContain(P.apiGuidelines);
  });

  it('refuses a stale version_number with version_conflict and moves nothing', async () => {
    await emulatorControl('POST', `/pages/${P.apiGuidelines}/edit`, { body: '<p>Bob was here.</p>' });
    const { status, body } = await callTool(id, 'move_confluence_page', {
      page_id: P.apiGuidelines,
      version_number: 1,
      parent_id: P.runbooks,
    });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
    expect(await writes()).toEqual([]);
  });

  it('refuses a parent in another space, or below the page itself, naming why', async () => {
    const across = await callTool(id, 'move_confluence_page', {
      page_id: P.apiGuidelines,
      version_number: 1,
      parent_id: P.opsHome,
    });
    expect(across.status).toBe(400);
    expect(across.body.error.message).toMatch(/cannot move a page to another space/);
    const below = await callTool(id, 'move_confluence_page', {
      page_id: P.runbooks,
      version_number: 1,
      parent_id: T.smokeTests,
    });
    expect(below.status).toBe(400);
    expect(below.body.error.message).toMatch(/its own descendant/);
    const missing = await callTool(id, 'move_confluence_page', {
      page_id: P.apiGuidelines,
      version_number: 1,
      parent_id: '999999',
    });
    expect(missing.status).toBe(404);
    expect(await writes()).toEqual([]);
  });
});

describe('delete_confluence_page', () => {
  it('moves the page to the trash (never purging it) and says how a person restores it', async () => {
    const { status, body } = await callTool(id, 'delete_confluence_page', {
      page_id: P.deployRunbook,
      version_number: 3,
    });
    expect(status).toBe(200);
    expect(body.page).toEqual({
      id: P.deployRunbook,
      title: 'Deploy Runbook',
      space_id: SEED.spaces.eng.id,
      status: 'trashed',
    });
    expect(body.restore).toMatch(/Trash.*Restore/);
    const [del] = await writes();
    expect(del?.method).toBe('DELETE');
    expect(del?.query).toEqual({});
    const gone = await callTool(id, 'get_confluence_page', { page_id: P.deployRunbook });
    expect(gone.status).toBe(404);
    // Its child page moves up to its parent.
    const children = await callTool(id, 'get_confluence_page_children', { page_id: P.runbooks });
    expect(children.body.pages.map((p: { id: string }) => p.id)).toContain(T.smokeTests);
  });

  it('refuses a stale version_number with version_conflict and deletes nothing', async () => {
    const { status, body } = await callTool(id, 'delete_confluence_page', {
      page_id: P.deployRunbook,
      version_number: 2,
    });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 3 } });
    expect(await writes()).toEqual([]);
  });

  it('answers not_found for a page already in the trash', async () => {
    await callTool(id, 'delete_confluence_page', { page_id: P.glossary, version_number: 1 });
    const again = await callTool(id, 'delete_confluence_page', { page_id: P.glossary, version_number: 1 });
    expect(again.status).toBe(404);
  });
});
