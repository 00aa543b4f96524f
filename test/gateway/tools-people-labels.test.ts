import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const P = SEED.pages;
const U = SEED.users;

describe('search_confluence_users', () => {
  it('finds people by a name or email fragment, with an email only when Atlassian shows it', async () => {
    const { status, body } = await callTool(id, 'search_confluence_users', { query: 'al' });
    expect(status).toBe(200);
    expect(body.users).toEqual([
      {
        account_id: U.alice,
        display_name: 'Alice Archer',
        email: 'alice.archer@acme.example',
        type: 'atlassian',
      },
      { account_id: '5d3e0c2f5e4b8a1123bc45de', display_name: 'Alan Alder', type: 'atlassian' },
    ]);
    const byEmail = await callTool(id, 'search_confluence_users', { query: 'erin@' });
    expect(byEmail.body.users.map((u: { account_id: string }) => u.account_id)).toEqual([U.current]);
    const [request] = (await confluenceRequests()).slice(-1);
    expect(request?.query.cql).toBe('user.fullname ~ "erin@"');
  });

  it('names account ids, and gives the connected user', async () => {
    const named = await callTool(id, 'search_confluence_users', { account_ids: [U.bob, 'unknown-account'] });
    expect(named.body.users).toEqual([{ account_id: U.bob, display_name: 'Bob Builder', type: 'atlassian' }]);
    const me = await callTool(id, 'search_confluence_users', { current: true });
    expect(me.body.users).toEqual([
      { account_id: U.current, display_name: 'Erin Emulator', email: 'erin@acme.example', type: 'atlassian' },
    ]);
  });

  it('escapes quotes in the query, and needs exactly one way of finding people', async () => {
    await callTool(id, 'search_confluence_users', { query: 'o"brien' });
    const [request] = await confluenceRequests();
    expect(request?.query.cql).toBe('user.fullname ~ "o\\"brien"');
    await emulatorControl('DELETE', '/requests');
    for (const args of [{}, { query: 'al', current: true }]) {
      const { status, body } = await callTool(id, 'search_confluence_users', args);
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/exactly one of query/);
    }
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('add_confluence_labels and remove_confluence_label', () => {
  it('adds labels in lowercase, once each, and answers every label of the page afterwards', async () => {
    const { status, body } = await callTool(id, 'add_confluence_labels', {
      page_id: P.architecture,
      labels: ['Reviewed', 'q1-2026', 'design'],
    });
    expect(status).toBe(200);
    expect(body.added).toEqual(['reviewed', 'q1-2026', 'design']);
    expect(body.labels.map((l: { name: string }) => l.name)).toEqual([
      'architecture',
      'design',
      'reviewed',
      'q1-2026',
    ]);
    const [write] = (await confluenceRequests()).filter((r) => r.method === 'POST');
    expect(write?.path).toMatch(/\/wiki\/rest\/api\/content\/65538\/label$/);
    expect(write?.body).toEqual([
      { prefix: 'global', name: 'reviewed' },
      { prefix: 'global', name: 'q1-2026' },
      { prefix: 'global', name: 'design' },
    ]);
    const again = await callTool(id, 'add_confluence_labels', {
      page_id: P.architecture,
      labels: ['reviewed'],
    });
    expect(again.body.labels).toHaveLength(4);
  });

  it("refuses a label that breaks Confluence's rules before calling it", async () => {
    for (const labels of [['two words'], ['a:b'], [], Array.from({ length: 21 }, (_, i) => `l${i}`)]) {
      const { status } = await callTool(id, 'add_confluence_labels', { page_id: P.architecture, labels });
      expect(status).toBe(400);
    }
    expect(await confluenceRequests()).toEqual([]);
  });

  it('removes a label, and treats a label the page does not have as already removed', async () => {
    const { body } = await callTool(id, 'remove_confluence_label', {
      page_id: P.architecture,
      label: 'Design',
    });
    expect(body).toMatchObject({ removed: true, label: 'design', labels: [{ name: 'architecture' }] });
    const deletes = (await confluenceRequests()).filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual([expect.stringMatching(/\/content\/65538\/label\/design$/)]);
    const again = await callTool(id, 'remove_confluence_label', { page_id: P.architecture, label: 'design' });
    expect(again.status).toBe(200);
    expect(again.body.removed).toBe(false);
  });

  it('maps a 410 from the retired v1 label endpoint to upstream_gone', async () => {
    await emulatorControl('POST', '/faults', {
      match: { method: 'POST', path_contains: '/label' },
      status: 410,
      body: { statusCode: 410, message: 'GoneException: This deprecated endpoint has been removed' },
    });
    const { status, body } = await callTool(id, 'add_confluence_labels', {
      page_id: P.architecture,
      labels: ['x'],
    });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_gone', retryable: false });
    expect(body.error.message).toContain('This deprecated endpoint has been removed');
  });

  it('answers not_found for a page the user may not see', async () => {
    const { status } = await callTool(id, 'add_confluence_labels', { page_id: P.restricted, labels: ['x'] });
    expect(status).toBe(404);
  });
});
