import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const P = SEED.pages;
const T = SEED.tree;

describe('get_confluence_page_children', () => {
  it('lists direct children in tree order, folders, whiteboards and databases included with their type', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_children', { page_id: P.engHome });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    const types = Object.fromEntries(body.pages.map((p: { id: string; type: string }) => [p.id, p.type]));
    expect(types).toMatchObject({ [P.architecture]: 'page', [T.folder]: 'folder', [T.database]: 'database' });
    // The restricted pages and the draft are not there.
    expect(types[P.restricted]).toBeUndefined();
    expect(types[P.draft]).toBeUndefined();
    const positions = body.pages.map((p: { position: number }) => p.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(body.pages[0]).toEqual({
      id: P.architecture,
      title: 'Architecture Overview',
      type: 'page',
      status: 'current',
      parent_id: P.engHome,
      depth: 1,
      position: expect.any(Number),
      url: `https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=${P.architecture}`,
    });
    const folder = body.pages.find((p: { id: string }) => p.id === T.folder);
    expect(folder.url).toMatch(/^https:\/\/acme\.atlassian\.net\/wiki\/x\/[\w-]+$/);
    expect(body.has_more).toBe(false);
    const [request] = await confluenceRequests();
    expect(request?.path).toMatch(/\/pages\/65537\/direct-children$/);
  });

  it('lists descendants level by level down to depth, each with its parent and depth', async () => {
    const { body } = await callTool(id, 'get_confluence_page_children', {
      page_id: P.runbooks,
      depth: 3,
    });
    const rows = body.pages.map((p: { id: string; depth: number; parent_id: string; type: string }) => [
      p.id,
      p.depth,
      p.parent_id,
      p.type,
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [P.deployRunbook, 1, P.runbooks, 'page'],
        [T.smokeTests, 2, P.deployRunbook, 'page'],
        [T.whiteboard, 1, P.runbooks, 'whiteboard'],
      ]),
    );
    const [request] = await confluenceRequests();
    expect(request?.path).toMatch(/\/descendants$/);
    expect(request?.query).toMatchObject({ depth: '3' });
  });

  it('pages through every child with next_cursor until has_more is false', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const { status, body } = await callTool(id, 'get_confluence_page_children', {
        page_id: P.bulkHome,
        limit: 100,
        ...(cursor && { cursor }),
      });
      expect(status).toBe(200);
      seen.push(...body.pages.map((p: { id: string }) => p.id));
      cursor = body.next_cursor;
      expect(body.has_more).toBe(cursor !== undefined);
      calls++;
    } while (cursor);
    expect(calls).toBe(3);
    expect(new Set(seen).size).toBe(SEED.bulkPageCount - 1);
  });

  it('refuses a depth over 5 before calling Confluence, and answers not_found for a page the user may not see', async () => {
    const deep = await callTool(id, 'get_confluence_page_children', { page_id: P.engHome, depth: 6 });
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/depth/);
    expect(await confluenceRequests()).toEqual([]);
    const hidden = await callTool(id, 'get_confluence_page_children', { page_id: P.restricted });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('not_found');
  });
});

describe('get_confluence_page_ancestors', () => {
  it('gives the breadcrumb from the root down, a folder with its type', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_ancestors', { page_id: T.meetingNotes });
    expect(status).toBe(200);
    expect(body.ancestors).toEqual([
      {
        id: P.engHome,
        title: 'Engineering Home',
        type: 'page',
        url: expect.stringMatching(/^https:\/\/acme\.atlassian\.net\/wiki\/spaces\/ENG\/pages\/65537\//),
      },
      { id: T.folder, title: null, type: 'folder', url: expect.stringContaining('/wiki/x/') },
    ]);
  });

  it('names every page on a deeper path with one extra call, and answers an empty list at the top', async () => {
    const { body } = await callTool(id, 'get_confluence_page_ancestors', { page_id: T.smokeTests });
    expect(body.ancestors.map((a: { title: string }) => a.title)).toEqual([
      'Engineering Home',
      'Runbooks',
      'Deploy Runbook',
    ]);
    expect((await confluenceRequests()).length).toBe(2);
    const top = await callTool(id, 'get_confluence_page_ancestors', { page_id: P.engHome });
    expect(top.body).toEqual({ success: true, points: 1, page_id: P.engHome, ancestors: [] });
  });

  it('answers not_found for a missing page', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_ancestors', { page_id: '999999' });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/999999/);
  });
});
