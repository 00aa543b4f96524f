import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callTool,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  injectFault,
  SEED,
} from './support/tools.ts';

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

  it('lists what is inside a folder with node_type "folder": a page and a smart link, typed and titled', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_children', {
      page_id: T.folder,
      node_type: 'folder',
    });
    expect(status).toBe(200);
    expect(
      body.pages.map((p: { id: string; title: string; type: string }) => [p.id, p.title, p.type]),
    ).toEqual([
      [T.meetingNotes, 'Meeting Notes January', 'page'],
      [T.embed, 'Status Dashboard', 'embed'],
    ]);
    const [request] = await confluenceRequests();
    expect(request?.path).toMatch(new RegExp(`/folders/${T.folder}/direct-children$`));
  });

  it('lists a child of a type it does not know with its type and a message, never dropping it', async () => {
    await injectFault({
      match: { method: 'GET', path_contains: `/pages/${P.engHome}/direct-children` },
      status: 200,
      body: {
        results: [
          {
            id: P.architecture,
            status: 'current',
            title: 'Architecture Overview',
            type: 'page',
            childPosition: 0,
          },
          { id: '65999', status: 'current', title: 'Team Calendar', type: 'calendar', childPosition: 1 },
        ],
        _links: {},
      },
    });
    const { status, body } = await callTool(id, 'get_confluence_page_children', { page_id: P.engHome });
    expect(status).toBe(200);
    expect(body.pages).toHaveLength(2);
    expect(body.pages[0].message).toBeUndefined();
    expect(body.pages[1]).toMatchObject({
      id: '65999',
      title: 'Team Calendar',
      type: 'calendar',
      message: expect.stringMatching(/type "calendar"/),
    });
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
      {
        id: T.folder,
        title: 'Team Notes',
        type: 'folder',
        url: `https://acme.atlassian.net/wiki/spaces/ENG/folder/${T.folder}`,
      },
    ]);
    const reads = (await confluenceRequests()).map((r) => r.path.replace(/^.*\/wiki\/api\/v2/, ''));
    expect(reads).toEqual(
      expect.arrayContaining([`/pages/${T.meetingNotes}/ancestors`, '/pages', `/folders/${T.folder}`]),
    );
  });

  it('starts from a whiteboard, folder or smart link with node_type, naming each node above it', async () => {
    const board = await callTool(id, 'get_confluence_page_ancestors', {
      page_id: T.whiteboard,
      node_type: 'whiteboard',
    });
    expect(board.status).toBe(200);
    expect(board.body.ancestors.map((a: { title: string; type: string }) => [a.title, a.type])).toEqual([
      ['Engineering Home', 'page'],
      ['Runbooks', 'page'],
    ]);
    const link = await callTool(id, 'get_confluence_page_ancestors', {
      page_id: T.embed,
      node_type: 'embed',
    });
    expect(link.body.ancestors.map((a: { title: string; type: string }) => [a.title, a.type])).toEqual([
      ['Engineering Home', 'page'],
      ['Team Notes', 'folder'],
    ]);
  });

  it('answers not_found naming node_type when the id is not of that type', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_ancestors', {
      page_id: P.runbooks,
      node_type: 'folder',
    });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/Folder 65539 .*node_type/);
  });

  it('lists an ancestor of a type it does not know with its type and a message, never dropping it', async () => {
    await injectFault({
      match: { method: 'GET', path_contains: `/pages/${T.meetingNotes}/ancestors` },
      status: 200,
      body: {
        results: [
          { id: P.engHome, type: 'page' },
          { id: '65999', type: 'calendar' },
        ],
      },
    });
    const { status, body } = await callTool(id, 'get_confluence_page_ancestors', { page_id: T.meetingNotes });
    expect(status).toBe(200);
    expect(body.ancestors[0].title).toBe('Engineering Home');
    expect(body.ancestors[1]).toEqual({
      id: '65999',
      title: null,
      type: 'calendar',
      url: expect.stringContaining('/wiki/x/'),
      message: expect.stringMatching(/type "calendar".*no tool can read or change it/),
    });
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

describe('get_confluence_space_pages', () => {
  it('names the folders the listed pages sit in, and lists a parent of an unknown type with a message', async () => {
    const { status, body } = await callTool(id, 'get_confluence_space_pages', {
      space_key: 'ENG',
      limit: 250,
    });
    expect(status).toBe(200);
    const notes = body.pages.find((p: { id: string }) => p.id === T.meetingNotes);
    expect(notes).toMatchObject({ parent_id: T.folder, parent_type: 'folder' });
    expect(body.containers).toEqual([
      {
        id: T.folder,
        type: 'folder',
        title: 'Team Notes',
        url: `https://acme.atlassian.net/wiki/spaces/ENG/folder/${T.folder}`,
      },
    ]);

    await injectFault({
      match: { method: 'GET', path_contains: '/spaces/98305/pages' },
      status: 200,
      body: {
        results: [
          {
            id: '65998',
            status: 'current',
            title: 'Inside a calendar',
            spaceId: SEED.spaces.eng.id,
            parentId: '65999',
            parentType: 'calendar',
            authorId: SEED.users.alice,
            createdAt: '2026-01-02T00:00:00.000Z',
          },
        ],
        _links: {},
      },
    });
    const odd = await callTool(id, 'get_confluence_space_pages', { space_key: 'ENG' });
    expect(odd.status).toBe(200);
    expect(odd.body.containers).toEqual([
      {
        id: '65999',
        type: 'calendar',
        title: null,
        url: expect.stringContaining('/wiki/x/'),
        message: expect.stringMatching(/type "calendar"/),
      },
    ]);
  });
});
