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

async function storageOf(pageId: string): Promise<string> {
  const { body } = await callTool(id, 'get_confluence_page', { page_id: pageId });
  return body.page.content;
}

describe('restore_confluence_page_version', () => {
  it('writes an earlier version back as the next one, with a message, keeping the history', async () => {
    const { status, body } = await callTool(id, 'restore_confluence_page_version', {
      page_id: P.architecture,
      version_number: 5,
      restore_version: 2,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ restored_from: 2, page: { id: P.architecture, version: 6 } });
    const put = (await writes())[0];
    expect(put).toMatchObject({
      method: 'PUT',
      body: { version: { number: 6, message: 'Restored version 2' } },
    });
    const requests = await confluenceRequests();
    const versionRead = requests.find((r) => r.method === 'GET' && r.query.version === '2');
    expect(versionRead).toBeDefined();
    const history = await callTool(id, 'get_confluence_page_history', { page_id: P.architecture });
    expect(history.body.versions.map((v: { number: number }) => v.number)).toEqual([6, 5, 4, 3, 2, 1]);
    const same = await callTool(id, 'compare_confluence_page_versions', {
      page_id: P.architecture,
      from_version: 2,
      to_version: 6,
      body_format: 'storage',
    });
    expect(same.body).toMatchObject({ diff: '', added_lines: 0, removed_lines: 0 });
    const changed = await callTool(id, 'compare_confluence_page_versions', {
      page_id: P.architecture,
      from_version: 5,
      to_version: 6,
      body_format: 'storage',
    });
    expect(changed.body.diff).not.toBe('');
  });

  it('refuses a stale version_number with version_conflict and writes nothing', async () => {
    const { status, body } = await callTool(id, 'restore_confluence_page_version', {
      page_id: P.architecture,
      version_number: 4,
      restore_version: 2,
    });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 5 } });
    expect(await writes()).toEqual([]);
  });

  it('answers not_found for a version the page never had, pointing at its history', async () => {
    const { status, body } = await callTool(id, 'restore_confluence_page_version', {
      page_id: P.architecture,
      version_number: 5,
      restore_version: 42,
    });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/get_confluence_page_history/);
    expect(await writes()).toEqual([]);
  });
});

describe('copy_confluence_page', () => {
  it('copies a page beside itself in its space as "Copy of …", body unchanged', async () => {
    const { status, body } = await callTool(id, 'copy_confluence_page', { page_id: P.deployRunbook });
    expect(status).toBe(200);
    expect(body.page).toMatchObject({
      title: 'Copy of Deploy Runbook',
      parent_id: P.runbooks,
      space_id: SEED.spaces.eng.id,
    });
    expect(body.copied).toEqual([
      { source_id: P.deployRunbook, id: body.page.id, title: 'Copy of Deploy Runbook' },
    ]);
    expect(await storageOf(body.page.id)).toBe(await storageOf(P.deployRunbook));
  });

  it('copies a subtree into another space, pages under their copied parents, other nodes listed as skipped', async () => {
    const { status, body } = await callTool(id, 'copy_confluence_page', {
      page_id: P.runbooks,
      space_key: 'OPS',
      include_children: true,
    });
    expect(status).toBe(200);
    const copies = new Map(body.copied.map((c: { source_id: string; id: string }) => [c.source_id, c.id]));
    expect([...copies.keys()].sort()).toEqual(
      [P.runbooks, P.deployRunbook, P.incidentResponse, T.smokeTests].sort(),
    );
    expect(body.skipped).toEqual([{ id: T.whiteboard, type: 'whiteboard', title: 'Deploy Flow Sketch' }]);
    const smoke = await callTool(id, 'get_confluence_page', { page_id: copies.get(T.smokeTests) });
    expect(smoke.body.page).toMatchObject({
      title: 'Smoke Tests',
      space_id: SEED.spaces.ops.id,
      parent_id: copies.get(P.deployRunbook),
    });
    expect(body.message).toMatch(
      /Copied 4 pages into space OPS; 1 folder, whiteboard or other non-page node was not copied/,
    );
  });

  it('refuses a space outside allowed_spaces and creates nothing', async () => {
    const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
      policy: { allowed_spaces: ['ENG'] },
    });
    expect(patched.status).toBe(200);
    await clearRequestLog();
    const { status, body } = await callTool(id, 'copy_confluence_page', {
      page_id: P.deployRunbook,
      space_key: 'OPS',
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect(await writes()).toEqual([]);
  });

  it('passes on a title already taken in the space as invalid_arguments', async () => {
    const { status, body } = await callTool(id, 'copy_confluence_page', {
      page_id: P.deployRunbook,
      title: 'Runbooks',
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/title/i);
  });
});
