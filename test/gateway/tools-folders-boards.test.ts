import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  SEED,
} from './support/tools.ts';

const P = SEED.pages;
const T = SEED.tree;

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const writes = async () => (await confluenceRequests()).filter((r) => r.method !== 'GET');

describe('create_confluence_folder and get_confluence_folder', () => {
  it('creates a folder under a page, a folder in it, and a page in that; the tree lists each', async () => {
    const outer = await callTool(id, 'create_confluence_folder', {
      space_key: 'ENG',
      title: 'Design Reviews',
      parent_id: P.engHome,
    });
    expect(outer.status).toBe(200);
    expect(outer.body.folder).toMatchObject({
      type: 'folder',
      title: 'Design Reviews',
      space_id: SEED.spaces.eng.id,
      parent_id: P.engHome,
      parent_type: 'page',
      url: expect.stringMatching(/^https:\/\/acme\.atlassian\.net\/wiki\/spaces\/ENG\/folder\/\d+$/),
    });
    expect((await writes())[0]).toMatchObject({
      method: 'POST',
      path: expect.stringMatching(/\/wiki\/api\/v2\/folders$/),
      body: { spaceId: SEED.spaces.eng.id, title: 'Design Reviews', parentId: P.engHome },
    });
    const inner = await callTool(id, 'create_confluence_folder', {
      space_id: SEED.spaces.eng.id,
      title: '2026',
      parent_id: outer.body.folder.id,
      parent_type: 'folder',
    });
    expect(inner.body.folder).toMatchObject({ parent_id: outer.body.folder.id, parent_type: 'folder' });
    const page = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Review of the gateway',
      body: 'Notes.',
      parent_id: inner.body.folder.id,
    });
    expect(page.status).toBe(200);
    const read = await callTool(id, 'get_confluence_folder', { folder_id: inner.body.folder.id });
    expect(read.body.folder).toEqual(inner.body.folder);
    const children = await callTool(id, 'get_confluence_page_children', {
      page_id: outer.body.folder.id,
      node_type: 'folder',
      depth: 2,
    });
    expect(children.body.pages.map((n: { title: string; type: string }) => [n.title, n.type])).toEqual([
      ['2026', 'folder'],
      ['Review of the gateway', 'page'],
    ]);
  });

  it('passes on a title already used under that parent as invalid_arguments, and a page id as not_found', async () => {
    const taken = await callTool(id, 'create_confluence_folder', {
      space_key: 'ENG',
      title: 'Team Notes',
      parent_id: P.engHome,
    });
    expect(taken.status).toBe(400);
    expect(taken.body.error.message).toMatch(/another title/);
    const notFolder = await callTool(id, 'get_confluence_folder', { folder_id: P.runbooks });
    expect(notFolder.status).toBe(404);
    expect(notFolder.body.error.message).toMatch(/Folder 65539/);
  });
});

describe('whiteboards and databases', () => {
  it('creates a whiteboard and a database, reads their metadata, and trashes one', async () => {
    for (const type of ['whiteboard', 'database']) {
      const created = await callTool(id, 'create_confluence_whiteboard_or_database', {
        type,
        space_key: 'OPS',
        title: `Incident ${type}`,
      });
      expect([type, created.status]).toEqual([type, 200]);
      expect(created.body.node).toMatchObject({
        type,
        title: `Incident ${type}`,
        space_id: SEED.spaces.ops.id,
      });
      const read = await callTool(id, 'get_confluence_whiteboard_or_database', {
        id: created.body.node.id,
        type,
      });
      expect(read.body.node).toEqual(created.body.node);
    }
    await clearRequestLog();
    const trashed = await callTool(id, 'delete_confluence_whiteboard_or_database', {
      id: T.whiteboard,
      type: 'whiteboard',
    });
    expect(trashed.status).toBe(200);
    expect(trashed.body).toMatchObject({
      title: 'Deploy Flow Sketch',
      message: expect.stringMatching(/trash/),
    });
    expect((await writes()).map((r) => [r.method, r.path.replace(/^.*\/wiki\/api\/v2/, '')])).toEqual([
      ['DELETE', `/whiteboards/${T.whiteboard}`],
    ]);
    const gone = await callTool(id, 'get_confluence_whiteboard_or_database', {
      id: T.whiteboard,
      type: 'whiteboard',
    });
    expect(gone.status).toBe(404);
  });

  it('answers not_found for a database id asked as a whiteboard, and deletes nothing', async () => {
    const { status } = await callTool(id, 'delete_confluence_whiteboard_or_database', {
      id: T.database,
      type: 'whiteboard',
    });
    expect(status).toBe(404);
    expect(await writes()).toEqual([]);
  });
});

describe('live docs', () => {
  it('creates a live doc with subtype "live", and page reads show the subtype', async () => {
    const created = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Standup Live Notes',
      body: 'Today.',
      subtype: 'live',
    });
    expect(created.status).toBe(200);
    expect((await writes())[0]?.body).toMatchObject({ subtype: 'live' });
    const read = await callTool(id, 'get_confluence_page', { page_id: created.body.page.id });
    expect(read.body.page.subtype).toBe('live');
    const plain = await callTool(id, 'get_confluence_page', { page_id: P.runbooks });
    expect(plain.body.page.subtype).toBeUndefined();
  });
});

describe('allowed_spaces holds for folders, whiteboards and databases', () => {
  it('lets a confined caller put a page in a folder of its own space', async () => {
    const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
      policy: { allowed_spaces: ['ENG'] },
    });
    expect(patched.status).toBe(200);
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Filed in a folder',
      body: 'x',
      parent_id: T.folder,
    });
    expect([status, body.page?.parent_id]).toEqual([200, T.folder]);
  });

  it('refuses nodes and parents of another space as not_found and sends no write', async () => {
    const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
      policy: { allowed_spaces: ['OPS'] },
    });
    expect(patched.status).toBe(200);
    await clearRequestLog();
    for (const [name, args] of [
      ['get_confluence_folder', { folder_id: T.folder }],
      [
        'create_confluence_folder',
        { space_key: 'OPS', title: 'x', parent_id: T.folder, parent_type: 'folder' },
      ],
      ['create_confluence_whiteboard_or_database', { type: 'database', space_key: 'ENG', title: 'x' }],
      ['delete_confluence_whiteboard_or_database', { id: T.database, type: 'database' }],
    ] as const) {
      const answer = await callTool(id, name, args);
      expect([name, answer.status, answer.body.error?.code]).toEqual([name, 404, 'not_found']);
    }
    expect(await writes()).toEqual([]);
  });
});
