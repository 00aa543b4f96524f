/**
 * Policies in the MCP door, as the official clients meet them: `tools/list` lists only what the
 * policies allow, a forbidden call is an isError result naming the rule (nothing sent upstream), and
 * a space-confined token finds nothing outside its spaces. Production bundle in workerd, emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../dev/emulator/seed.ts';
import { tools as registry } from '../../src/tools/registry.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { type ClientFactory, connectV1, connectV2 } from '../support/mcp-clients.ts';
import { type SandboxServers, startSandboxServers } from '../support/sandbox-servers.ts';
import { writeCalls } from '../support/write-calls.ts';

const WRITE_TOOLS = writeCalls().map(([name]) => name);

let servers: SandboxServers;
let readOnlyId: string;
let readOnlyToken: string;
let wideId: string;
let narrowToken: string;

beforeAll(async () => {
  servers = await startSandboxServers({ autoApprove: true, sitePreset: 'single' });
  const connect = (name: string) =>
    connectOverHttp({
      gatewayUrl: servers.gatewayUrl,
      serviceToken: servers.serviceToken,
      ownerId: 'mcp-policy',
      name,
    });
  readOnlyId = await connect('Read-only wiki');
  await patchPolicy(readOnlyId, { read_only: true, denied_tools: ['get_confluence_spaces'] });
  readOnlyToken = await newAgentToken(readOnlyId);
  // A wide integration (two spaces, writes allowed) and a token narrowed to ENG, read-only.
  wideId = await connect('Wide wiki');
  await patchPolicy(wideId, { allowed_spaces: ['ENG', 'OPS'] });
  narrowToken = await newAgentToken(wideId, { read_only: true, allowed_spaces: ['ENG'] });
}, 120_000);

afterAll(() => servers?.close());

async function patchPolicy(id: string, policy: Record<string, unknown>): Promise<void> {
  const answer = await servers.serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy });
  expect(answer.status).toBe(200);
}

async function newAgentToken(id: string, policy?: Record<string, unknown>): Promise<string> {
  const answer = await servers.serviceApi('POST', `/api/v1/integrations/${id}/agent-tokens`, {
    label: 'mcp agent',
    ...(policy && { policy }),
  });
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { token: string }).token;
}

async function upstreamWrites(): Promise<unknown[]> {
  const answer = await fetch(`${servers.emulatorUrl}/_emulator/requests?path_prefix=/ex/confluence/`);
  const { requests } = (await answer.json()) as { requests: { method: string }[] };
  return requests.filter((request) => request.method !== 'GET');
}

describe.each([
  ['the v1 SDK client', connectV1],
  ['the v2 client (2026-07-28)', connectV2],
] as [string, ClientFactory][])('%s', (_label, connect) => {
  it('a read-only integration: tools/list has no write or denied tool; every write is an isError naming the rule; reads work', async () => {
    const client = await connect(`${servers.gatewayUrl}/mcp?toolsets=all`, readOnlyToken);
    const { tools } = await client.listTools();
    const names = tools.map((tool: { name: string }) => tool.name);
    const reads = registry.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);
    expect(names).toEqual(reads.filter((name) => name !== 'get_confluence_spaces'));

    await fetch(`${servers.emulatorUrl}/_emulator/requests`, { method: 'DELETE' });
    for (const [name, args] of writeCalls()) {
      const result = await client.callTool(name, args);
      expect(result.isError).toBe(true);
      expect(result.structuredContent.error).toMatchObject({
        code: 'forbidden',
        rule: 'read_only',
        policy: 'integration',
      });
      expect(result.structuredContent.error.message).toMatch(/read-only/);
    }
    const denied = await client.callTool('get_confluence_spaces', {});
    expect(denied.structuredContent.error).toMatchObject({ code: 'forbidden', rule: 'denied_tools' });
    expect(await upstreamWrites()).toEqual([]);

    const read = await client.callTool('get_confluence_page', { page_id: SEED.pages.architecture.id });
    expect(read.isError).toBeFalsy();
    await client.close();
  });

  it('a token narrowed under a wider policy lists and does less than the service token on the same integration', async () => {
    const url = `${servers.gatewayUrl}/api/v1/integrations/${wideId}/mcp?toolsets=all`;
    const narrow = await connect(url, narrowToken);
    const service = await connect(url, servers.serviceToken);
    const narrowNames = (await narrow.listTools()).tools.map((tool: { name: string }) => tool.name);
    const serviceNames = (await service.listTools()).tools.map((tool: { name: string }) => tool.name);
    for (const name of WRITE_TOOLS) {
      expect(narrowNames).not.toContain(name);
      expect(serviceNames).toContain(name);
    }
    const write = await narrow.callTool('add_confluence_comment', {
      page_id: SEED.pages.architecture.id,
      comment: 'x',
    });
    expect(write.structuredContent.error).toMatchObject({
      code: 'forbidden',
      rule: 'read_only',
      policy: 'agent_token',
    });

    // OPS is allowed to the integration but not to this token: nothing of it can be read or found.
    const opsPage = await narrow.callTool('get_confluence_page', { page_id: SEED.pages.oncall.id });
    expect(opsPage.isError).toBe(true);
    expect(opsPage.structuredContent.error.code).toBe('not_found');
    const serviceRead = await service.callTool('get_confluence_page', { page_id: SEED.pages.oncall.id });
    expect(serviceRead.isError).toBeFalsy();

    const found = await narrow.callTool('search_confluence_pages', {
      cql: 'type = page OR space = OPS',
      limit: 100,
    });
    const keys = new Set(found.structuredContent.pages.map((page: { space_key: string }) => page.space_key));
    expect([...keys]).toEqual(['ENG']);
    const breakout = await narrow.callTool('search_confluence_pages', {
      cql: 'type = page) OR (space = OPS',
    });
    expect(breakout.structuredContent.error.code).toBe('invalid_arguments');
    const spaces = await narrow.callTool('get_confluence_space_pages', { space_key: 'OPS' });
    expect(spaces.structuredContent.error.code).toBe('not_found');
    // A rendered read could show other spaces through its macros: refused, naming the rule.
    const view = await narrow.callTool('get_confluence_page', {
      page_id: SEED.pages.architecture.id,
      body_format: 'view',
    });
    expect(view.isError).toBe(true);
    expect(view.structuredContent.error).toMatchObject({
      code: 'forbidden',
      rule: 'allowed_spaces',
      policy: 'integration_and_agent_token',
    });
    await narrow.close();
    await service.close();
  });
});

describe('the audit log of MCP calls', () => {
  it('records refused MCP calls with the agent token that made them', async () => {
    const answer = await servers.serviceApi(
      'GET',
      `/api/v1/integrations/${readOnlyId}/audit?tool=create_confluence_page`,
    );
    const { entries } = (await answer.json()) as {
      entries: { caller: object; outcome: string; refused_by: object; count?: number }[];
    };
    // Identical refusals within a minute are one entry with a count.
    expect(entries.reduce((calls, entry) => calls + (entry.count ?? 1), 0)).toBeGreaterThanOrEqual(2);
    expect(entries[0]).toMatchObject({
      caller: { kind: 'agent_token', label: 'mcp agent' },
      outcome: 'forbidden',
      refused_by: { rule: 'read_only', policy: 'integration' },
    });
  });
});
