import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

const PAGE = SEED.pages.apiGuidelines;
const { bob, current } = SEED.users;

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const writes = async () => (await confluenceRequests()).filter((r) => r.method !== 'GET');

describe('page restrictions', () => {
  it('reads an unrestricted page as empty lists for read and update', async () => {
    const { status, body } = await callTool(id, 'get_confluence_page_restrictions', { page_id: PAGE });
    expect(status).toBe(200);
    expect(body).toEqual({
      success: true,
      points: expect.any(Number),
      page_id: PAGE,
      read: { users: [], groups: [] },
      update: { users: [], groups: [] },
    });
  });

  it('adds users to the update restriction and removes one, answering the restrictions after each', async () => {
    for (const account_id of [current, bob]) {
      const added = await callTool(id, 'add_confluence_page_restriction', {
        page_id: PAGE,
        operation: 'update',
        account_id,
      });
      expect(added.status).toBe(200);
    }
    const [first] = await writes();
    expect(first).toMatchObject({
      method: 'PUT',
      path: expect.stringMatching(
        /\/wiki\/rest\/api\/content\/65542\/restriction\/byOperation\/update\/user$/,
      ),
      query: { accountId: current },
    });
    const removed = await callTool(id, 'remove_confluence_page_restriction', {
      page_id: PAGE,
      operation: 'update',
      account_id: bob,
    });
    expect(removed.body.update.users).toEqual([{ account_id: current, display_name: 'Erin Emulator' }]);
    expect(removed.body.message).toMatch(/Removed 5c2f9b1e4d3a7f0012ab34cd from the update restriction/);
  });

  it('restricts viewing to a group and lifts it again', async () => {
    const added = await callTool(id, 'add_confluence_page_restriction', {
      page_id: PAGE,
      operation: 'read',
      group_name: 'engineering',
    });
    expect(added.body.read.groups).toEqual([{ name: 'engineering', id: expect.any(String) }]);
    const lifted = await callTool(id, 'remove_confluence_page_restriction', {
      page_id: PAGE,
      operation: 'read',
      group_name: 'engineering',
    });
    expect(lifted.body.read).toEqual({ users: [], groups: [] });
  });

  it('asks for exactly one of account_id and group_name, and answers an unknown group as not_found', async () => {
    const both = await callTool(id, 'add_confluence_page_restriction', {
      page_id: PAGE,
      operation: 'read',
      account_id: bob,
      group_name: 'engineering',
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/account_id .*group_name/);
    expect(await confluenceRequests()).toEqual([]);
    const unknown = await callTool(id, 'add_confluence_page_restriction', {
      page_id: PAGE,
      operation: 'read',
      group_name: 'nobody',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/group "nobody"/);
  });

  it('answers upstream_gone naming the operation once Atlassian removes the v1 restriction API', async () => {
    await emulatorControl('POST', '/config', { removed_endpoints: [{ path_contains: '/restriction' }] });
    const read = await callTool(id, 'get_confluence_page_restrictions', { page_id: PAGE });
    expect(read.status).toBe(502);
    expect(read.body.error).toMatchObject({
      code: 'upstream_gone',
      operation: 'GET /wiki/rest/api/content/{id}/restriction/byOperation',
    });
    const add = await callTool(id, 'add_confluence_page_restriction', {
      page_id: PAGE,
      operation: 'update',
      account_id: bob,
    });
    expect(add.body.error).toMatchObject({
      code: 'upstream_gone',
      operation: 'PUT /wiki/rest/api/content/{id}/restriction/byOperation/update/user',
    });
  });
});
