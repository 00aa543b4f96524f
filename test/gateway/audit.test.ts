import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../src/audit/entry.ts';
import type { AuditLog } from '../../src/audit/log.ts';
import { emulatorControl, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { callTool, connectAcme, SEED } from './support/tools.ts';

let id: string;
let agent: { id: string; token: string };
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
  const response = await serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {
    label: 'writer bot',
  });
  agent = (await response.json()) as { id: string; token: string };
});
afterEach(() => vi.restoreAllMocks());

interface AuditPage {
  entries: AuditEntry[];
  next_cursor: string | null;
}

async function audit(query = ''): Promise<AuditPage> {
  const response = await serviceApi('GET', `/api/v1/integrations/${id}/audit${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as AuditPage;
}

function auditLog(integrationId = id) {
  return env.AUDIT_LOG.get(env.AUDIT_LOG.idFromName(integrationId));
}

const BODY = '<p>Secret plan: ship on Friday</p>';
const COMMENT = 'Looks good, but mind the launch codes';

describe('the audit log', () => {
  it('records create → update → comment and a refused call, newest first, with who, what and versions', async () => {
    const created = await callTool(
      id,
      'create_confluence_page',
      { space_key: 'ENG', title: 'Plan', body: BODY },
      agent.token,
    );
    expect(created.status).toBe(200);
    const pageId = created.body.page.id as string;
    const updated = await callTool(
      id,
      'update_confluence_page',
      { page_id: pageId, version_number: 1, body: BODY },
      agent.token,
    );
    expect(updated.status).toBe(200);
    const comment = await callTool(id, 'add_confluence_comment', { page_id: pageId, comment: COMMENT });
    expect(comment.status).toBe(200);
    const conflict = await callTool(
      id,
      'update_confluence_page',
      { page_id: pageId, version_number: 1, body: BODY },
      agent.token,
    );
    expect(conflict.status).toBe(409);
    await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { read_only: true } });
    const refused = await callTool(
      id,
      'update_confluence_page',
      { page_id: pageId, version_number: 2, body: BODY },
      agent.token,
    );
    expect(refused.status).toBe(403);
    // Reads are not recorded.
    expect((await callTool(id, 'get_confluence_page', { page_id: pageId })).status).toBe(200);

    const { entries, next_cursor } = await audit();
    expect(next_cursor).toBeNull();
    const bot = { kind: 'agent_token', token_id: agent.id, label: 'writer bot' };
    // Each entry records the Atlassian points its Confluence requests cost: none for the refused call,
    // a page read for the conflict, a write plus the page read or space lookup before it.
    expect(entries).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        caller: bot,
        tool: 'update_confluence_page',
        targets: { page_id: pageId },
        outcome: 'forbidden',
        refused_by: { rule: 'read_only', policy: 'integration' },
        page_version: null,
        points: 0,
      },
      {
        id: expect.any(String),
        at: expect.any(String),
        caller: bot,
        tool: 'update_confluence_page',
        targets: { page_id: pageId, space_id: SEED.spaces.eng.id },
        outcome: 'version_conflict',
        page_version: { before: 2, after: null },
        points: 2,
      },
      {
        id: expect.any(String),
        at: expect.any(String),
        caller: { kind: 'service' },
        tool: 'add_confluence_comment',
        targets: { page_id: pageId, comment_id: comment.body.comment.id },
        outcome: 'ok',
        page_version: null,
        points: 1,
      },
      {
        id: expect.any(String),
        at: expect.any(String),
        caller: bot,
        tool: 'update_confluence_page',
        targets: { page_id: pageId, space_id: SEED.spaces.eng.id },
        outcome: 'ok',
        page_version: { before: 1, after: 2 },
        points: 3,
      },
      {
        id: expect.any(String),
        at: expect.any(String),
        caller: bot,
        tool: 'create_confluence_page',
        targets: { space_key: 'ENG', page_id: pageId, space_id: SEED.spaces.eng.id },
        outcome: 'ok',
        page_version: { before: null, after: 1 },
        points: 3,
      },
    ]);
    const ids = entries.map((entry) => Number(entry.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });

  it('records create → update → delete, each with the versions it saw', async () => {
    const created = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Short-lived',
      body: BODY,
    });
    const pageId = created.body.page.id as string;
    await callTool(id, 'update_confluence_page', {
      page_id: pageId,
      version_number: 1,
      title: 'Shorter-lived',
    });
    const deleted = await callTool(id, 'delete_confluence_page', { page_id: pageId, version_number: 2 });
    expect(deleted.status).toBe(200);
    const { entries } = await audit();
    expect(
      entries.map(({ tool, outcome, targets, page_version }) => ({ tool, outcome, targets, page_version })),
    ).toEqual([
      {
        tool: 'delete_confluence_page',
        outcome: 'ok',
        targets: { page_id: pageId, space_id: SEED.spaces.eng.id },
        page_version: { before: 2, after: null },
      },
      {
        tool: 'update_confluence_page',
        outcome: 'ok',
        targets: { page_id: pageId, space_id: SEED.spaces.eng.id },
        page_version: { before: 1, after: 2 },
      },
      {
        tool: 'create_confluence_page',
        outcome: 'ok',
        targets: { space_key: 'ENG', page_id: pageId, space_id: SEED.spaces.eng.id },
        page_version: { before: null, after: 1 },
      },
    ]);
  });

  it('records a read refused by allowed_spaces, answered to the agent as not_found', async () => {
    await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { allowed_spaces: ['OPS'] } });
    const hidden = await callTool(
      id,
      'get_confluence_page',
      { page_id: SEED.pages.architecture },
      agent.token,
    );
    expect(hidden.body.error.code).toBe('not_found');
    const { entries } = await audit();
    expect(entries).toMatchObject([
      {
        tool: 'get_confluence_page',
        targets: { page_id: SEED.pages.architecture },
        outcome: 'not_found',
        refused_by: { rule: 'allowed_spaces', policy: 'integration' },
      },
    ]);
  });

  it('pages with cursor and limit, and filters by tool and time', async () => {
    for (const title of ['A', 'B', 'C']) {
      await callTool(id, 'create_confluence_page', { space_key: 'ENG', title, body: 'x' });
    }
    await callTool(id, 'add_confluence_comment', { page_id: SEED.pages.architecture, comment: 'x' });
    const first = await audit('?limit=3');
    expect(first.entries.map((entry) => entry.tool)).toEqual([
      'add_confluence_comment',
      'create_confluence_page',
      'create_confluence_page',
    ]);
    expect(first.next_cursor).not.toBeNull();
    const second = await audit(`?limit=3&cursor=${first.next_cursor}`);
    expect(second.entries.map((entry) => entry.tool)).toEqual(['create_confluence_page']);
    expect(second.next_cursor).toBeNull();

    const creates = await audit('?tool=create_confluence_page');
    expect(creates.entries).toHaveLength(3);
    expect((await audit(`?since=${new Date(Date.now() + 60_000).toISOString()}`)).entries).toEqual([]);
    expect((await audit('?since=2020-01-01T00:00:00Z')).entries).toHaveLength(4);

    for (const bad of ['?cursor=abc', '?limit=0', '?since=yesterday']) {
      const response = await serviceApi('GET', `/api/v1/integrations/${id}/audit${bad}`);
      expect(response.status).toBe(400);
    }
  });

  it('keeps no body, comment, title or token in its entries or its log lines', async () => {
    const lines: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    const created = await callTool(
      id,
      'create_confluence_page',
      { space_key: 'ENG', title: 'Launch codes', body: BODY },
      agent.token,
    );
    await callTool(
      id,
      'add_confluence_comment',
      { page_id: created.body.page.id, comment: COMMENT },
      agent.token,
    );
    await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { read_only: true } });
    await callTool(
      id,
      'update_confluence_page',
      { page_id: created.body.page.id, version_number: 1, body: BODY },
      agent.token,
    );

    const stored = JSON.stringify(await audit());
    const logged = lines.filter((line) => line.includes('tool_audit'));
    expect(logged).toHaveLength(3);
    for (const text of [stored, ...logged]) {
      for (const secret of [
        'Secret plan',
        'launch codes',
        'Launch codes',
        agent.token,
        SERVICE_TOKEN,
        'cgw_agent_',
      ]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(JSON.parse(logged[0] as string)).toMatchObject({
      event: 'tool_audit',
      integration_id: id,
      tool: 'create_confluence_page',
      outcome: 'ok',
    });
  });

  it('is deleted with its integration, and an entry arriving afterwards is not kept', async () => {
    await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'Gone', body: 'x' });
    expect((await audit()).entries).toHaveLength(1);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    expect((await serviceApi('GET', `/api/v1/integrations/${id}/audit`)).status).toBe(404);
    const late: AuditEntry = {
      at: new Date().toISOString(),
      caller: { kind: 'service' },
      tool: 'create_confluence_page',
      targets: {},
      outcome: 'ok',
      page_version: null,
    };
    await auditLog().append(late, 90);
    expect((await auditLog().list({ limit: 10 }, 90)).entries).toEqual([]);
  });

  it('lists nothing older than the retention period, and its alarm deletes it', async () => {
    await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'New', body: 'x' });
    const old = new Date(Date.now() - 91 * 24 * 60 * 60 * 1000).toISOString();
    await runInDurableObject(auditLog(), (instance: AuditLog, state) => {
      state.storage.sql.exec(
        "INSERT INTO audit (at, tool, entry) VALUES (?, 'create_confluence_page', ?)",
        Date.parse(old),
        JSON.stringify({ at: old, tool: 'create_confluence_page' }),
      );
      return instance;
    });
    expect((await audit()).entries).toHaveLength(1);
    expect(await runDurableObjectAlarm(auditLog())).toBe(true);
    const rows = await runInDurableObject(
      auditLog(),
      (_instance: AuditLog, state) =>
        state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM audit').one().n,
    );
    expect(rows).toBe(1);
  });
});
