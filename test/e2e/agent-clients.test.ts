/**
 * The MCP clients agent builders use, as shipped and pinned (package.json): the OpenAI Agents SDK
 * with and without strict schemas, LangChain's MultiServerMCPClient, the MCP Inspector's CLI and
 * `mcp-remote` with a header and with its own OAuth sign-in, and Vercel's AI SDK. Each lists the tools and runs the
 * scenario a documentation agent runs: a Markdown read (the answer three of them once refused), a
 * search and a write. A client release that breaks the gateway fails here. Production bundle in
 * workerd, emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../dev/emulator/seed.ts';
import {
  type AgentClient,
  agentsSdk,
  inspectorCli,
  langChain,
  mcpRemote,
  vercelAiSdk,
} from '../support/agent-clients.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { CookieBrowser } from '../support/mcp-oauth-client.ts';
import { type SandboxServers, startSandboxServers } from '../support/sandbox-servers.ts';

let servers: SandboxServers;
let integrationId: string;
let agentToken: string;
let mcpUrl: string;

beforeAll(async () => {
  servers = await startSandboxServers({ autoApprove: true, sitePreset: 'single' });
  integrationId = await connectOverHttp({
    gatewayUrl: servers.gatewayUrl,
    serviceToken: servers.serviceToken,
    ownerId: 'agent-clients',
    name: 'Agent clients',
  });
  const answer = await servers.serviceApi('POST', `/api/v1/integrations/${integrationId}/agent-tokens`, {});
  agentToken = ((await answer.json()) as { token: string }).token;
  mcpUrl = `${servers.gatewayUrl}/mcp`;
}, 120_000);

afterAll(() => servers?.close());

/** What a strict-mode model sends: every optional argument it leaves out, as null. */
function asStrictModel(
  args: Record<string, unknown>,
  tools: { name: string; parameters: Record<string, unknown> }[],
  name: string,
) {
  const parameters = tools.find((tool) => tool.name === name)?.parameters as {
    properties: Record<string, unknown>;
  };
  return Object.fromEntries(Object.keys(parameters.properties).map((key) => [key, args[key] ?? null]));
}

/** Lists, reads a page in Markdown, searches, and creates a page in Markdown (checked through REST). */
async function documentationScenario(
  client: AgentClient,
  label: string,
  shape: (name: string, args: Record<string, unknown>) => Record<string, unknown> = (_name, args) => args,
): Promise<void> {
  const tools = await client.listTools();
  const names = tools.map((tool) => tool.name);
  for (const name of ['get_confluence_page', 'search_confluence_pages', 'create_confluence_page']) {
    expect(names).toContain(name);
  }

  const read = await client.callTool(
    'get_confluence_page',
    shape('get_confluence_page', { page_id: SEED.pages.architecture.id, body_format: 'markdown' }),
  );
  expect(read.page).toMatchObject({ id: SEED.pages.architecture.id, content_format: 'markdown' });
  expect(read.page.content).toMatch(/^#{1,6} /m);

  const found = await client.callTool(
    'search_confluence_pages',
    shape('search_confluence_pages', { cql: 'type = page AND text ~ "deploy"' }),
  );
  expect(found.pages.map((page: { id: string }) => page.id)).toContain(SEED.pages.deployRunbook.id);

  const title = `Written by ${label} ${Date.now()}`;
  const created = await client.callTool(
    'create_confluence_page',
    shape('create_confluence_page', {
      space_key: 'ENG',
      title,
      body: '## Steps\n\n1. Build\n2. Ship',
      body_format: 'markdown',
    }),
  );
  expect(created.page).toMatchObject({ title, status: 'current' });
  const stored = await servers.serviceApi(
    'POST',
    `/api/v1/integrations/${integrationId}/tools/get_confluence_page`,
    {
      page_id: created.page.id,
    },
  );
  expect(((await stored.json()) as { page: { content: string } }).page.content).toContain('<h2>Steps</h2>');
}

/** The user's browser in an OAuth sign-in: Atlassian's consent (auto-approved), then Allow on the gateway's page. */
async function signIn(authorizationUrl: URL): Promise<void> {
  // The user's browser: Atlassian's consent (auto-approved), then Allow on the gateway's page.
  const browser = new CookieBrowser();
  const consent = await browser.open(authorizationUrl);
  const html = (await consent.response?.text()) ?? '';
  const pending = /name="pending" value="([^"]+)"/.exec(html)?.[1];
  const site = /name="site_id" value="([^"]+)"/.exec(html)?.[1];
  if (!pending || !site) throw new Error(`no consent page at ${consent.url}: ${html.slice(0, 500)}`);
  const finalized = await fetch(new URL('/integrations/confluence/finalize', servers.gatewayUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookie },
    body: new URLSearchParams({ pending, site_id: site, decision: 'allow' }).toString(),
  });
  const callback = finalized.headers.get('location');
  if (!callback) throw new Error(`finalize answered ${finalized.status} without a redirect`);
  // mcp-remote listens for the callback only once it has tried to open a browser: retry until it does.
  for (let attempt = 0; ; attempt++) {
    try {
      const delivered = await fetch(callback);
      expect(delivered.status).toBe(200);
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('the OpenAI Agents SDK 0.20 (MCPServerStreamableHttp)', () => {
  it('runs the documentation scenario with the schemas as served', async () => {
    const client = await agentsSdk(mcpUrl, agentToken, false);
    await documentationScenario(client, 'the Agents SDK');
    await client.close();
  });

  it('converts every schema to strict mode, and a strict model’s nulls read as absent', async () => {
    const client = await agentsSdk(mcpUrl, agentToken, true);
    // No tool fell back to a non-strict schema.
    expect(new Set(await client.strictness())).toEqual(new Set([true]));
    const tools = await client.listTools();
    const read = (tools.find((tool) => tool.name === 'get_confluence_page')?.parameters ?? {}) as {
      required?: string[];
      properties?: object;
    };
    expect(read).toMatchObject({ additionalProperties: false });
    expect([...(read.required ?? [])].sort()).toEqual(Object.keys(read.properties ?? {}).sort());
    await documentationScenario(client, 'the Agents SDK in strict mode', (name, args) =>
      asStrictModel(args, tools, name),
    );
    await client.close();
  });

  it('converts every tool to strict mode but the one whose argument takes any JSON value', async () => {
    const client = await agentsSdk(`${mcpUrl}?toolsets=all`, agentToken, true);
    const tools = await client.listTools();
    const strictness = await client.strictness();
    // set_confluence_page_property's value is any JSON value, which strict mode cannot type: the
    // SDK falls back to a non-strict schema for it, as GET /api/v1/tools?format=openai_strict does.
    expect(tools.filter((_tool, index) => !strictness[index]).map((tool) => tool.name)).toEqual([
      'set_confluence_page_property',
    ]);
    await client.close();
  });
});

describe('LangChain’s MultiServerMCPClient 1.1', () => {
  it('runs the documentation scenario', async () => {
    const client = await langChain(mcpUrl, agentToken);
    await documentationScenario(client, 'LangChain');
    await client.close();
  });
});

describe('Vercel’s AI SDK 7 (@ai-sdk/mcp 2.0, tools run by generateText)', () => {
  it('runs the documentation scenario', async () => {
    const client = await vercelAiSdk(mcpUrl, agentToken);
    await documentationScenario(client, 'the AI SDK');
    await client.close();
  });
});

describe('the MCP Inspector CLI 2.12', () => {
  it('runs the documentation scenario', async () => {
    const client = inspectorCli(mcpUrl, agentToken);
    await documentationScenario(client, 'the Inspector');
    await client.close();
  });

  it('finds no portability problem in any tool schema (--strict)', async () => {
    const client = inspectorCli(`${mcpUrl}?toolsets=all`, agentToken);
    const listed = await client.run('--method', 'tools/list', '--strict');
    expect(listed.code).toBe(0);
    expect(listed.stderr).not.toMatch(/type-union|untyped-schema|warning|error/i);
    await client.close();
  });
});

describe('mcp-remote 0.15 (the stdio bridge)', () => {
  it('runs the documentation scenario with a bearer header', async () => {
    const client = await mcpRemote(mcpUrl, { token: agentToken });
    await documentationScenario(client, 'mcp-remote');
    await client.close();
  });

  it('signs in with its own OAuth flow, then runs the documentation scenario', async () => {
    const client = await mcpRemote(mcpUrl, { signIn });
    expect(client.log()).toContain('Please authorize this client');
    await documentationScenario(client, 'mcp-remote signed in');
    await client.close();
  }, 60_000);

  it('signs in on a URL that selects toolsets, as a ChatGPT connector is set up, and sees just those', async () => {
    const client = await mcpRemote(`${mcpUrl}?toolsets=chatgpt`, { signIn });
    expect((await client.listTools()).map((tool) => tool.name)).toEqual(['search', 'fetch']);
    const { results } = await client.callTool('search', { query: 'deploy' });
    expect(results.map((result: { id: string }) => result.id)).toContain(SEED.pages.deployRunbook.id);
    const page = await client.callTool('fetch', { id: SEED.pages.deployRunbook.id });
    expect(page).toMatchObject({ id: SEED.pages.deployRunbook.id, title: 'Deploy Runbook' });
    expect(page.text).toMatch(/^# /m);
    await client.close();
  }, 60_000);
});
