/**
 * What every bench needs: the production bundle, the emulator, the gateway in workerd with one
 * connected integration, and the requests one scenario sends through each path.
 */
import { SEED } from '../../dev/emulator/seed.ts';
import { type RunningEmulator, startEmulator } from '../../dev/emulator/server.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { type RunningWorker, startGatewayInWorkerd, type WorkerdExtras } from '../support/workerd.ts';

export const CLIENT = { clientId: 'bench-client-id', clientSecret: 'bench-client-secret' };
export const SERVICE_TOKEN = 'bench-service-token-0123456789abcdef';
/** The gateway's TOKEN_ENCRYPTION_KEYS in the bench (a grown KV's sealed values use it too). */
export const ENCRYPTION_KEYS = `bench:${Buffer.alloc(32, 7).toString('base64')}`;

export interface Scenario {
  name: string;
  tool: string;
  args: Record<string, unknown>;
  /** Whether the MCP door's rows are measured beside the REST call. */
  mcp?: boolean;
  /** Whether the added-CPU budget applies (the calls agents make most). */
  addedCpuBudget?: boolean;
  /** The whole 50 KB body in the answer (MCP then carries it twice). */
  wholePage?: boolean;
}

export const SCENARIOS: Scenario[] = [
  {
    // As agents call it: content sliced at the default max_chars (20 000 characters).
    name: 'get_confluence_page 50 KB',
    tool: 'get_confluence_page',
    args: { page_id: SEED.pages.large.id },
    mcp: true,
    addedCpuBudget: true,
  },
  {
    // The whole 50 KB body in one answer: the gateway re-serialises all of it.
    name: 'get_confluence_page 50 KB whole',
    tool: 'get_confluence_page',
    args: { page_id: SEED.pages.large.id, max_chars: 200_000 },
    mcp: true,
    wholePage: true,
  },
  {
    name: 'search_confluence_pages',
    tool: 'search_confluence_pages',
    args: { cql: 'type = page AND space = ENG AND text ~ "deploy" order by lastModified desc', limit: 25 },
    addedCpuBudget: true,
  },
];

export interface BenchEnvironment {
  emulator: RunningEmulator;
  gateway: RunningWorker;
  gatewayUrl: string;
  integrationId: string;
  /** Starts another gateway on the same bindings (and storage, when persisted): a fresh isolate. */
  startGateway(extras?: WorkerdExtras): Promise<RunningWorker>;
  /** The REST tool call of a scenario, as a request. */
  toolRequest(
    scenario: Scenario,
    gatewayUrl?: string,
  ): { url: string; method: string; headers: Record<string, string>; body: string };
}

/**
 * `settings` adds to or replaces the gateway's bindings. By default the benchmark measures the
 * gateway's overhead on calls that reach Confluence: the points pool is too large to run low (the
 * gateway learns its size from the emulator's headers) and the read cache is off, since it would
 * answer the repeated calls itself. The quota simulation (quota.ts) sets both as it needs them, and
 * the task bench (tasks.ts) turns the cache back on to its default.
 */
export async function startBenchEnvironment(
  extras: WorkerdExtras = {},
  settings: Record<string, string> = {},
): Promise<BenchEnvironment> {
  const emulator = await startEmulator({
    autoApprove: true,
    validate: false,
    clients: [CLIENT],
    sitePreset: 'single',
    quota: { points: 1_000_000_000 },
  });
  // The gateway starts on a port the system picks; the callback setting follows the URL it got.
  const bindings = (gatewayUrl: string) => ({
    CONFLUENCE_CLIENT_ID: CLIENT.clientId,
    CONFLUENCE_CLIENT_SECRET: CLIENT.clientSecret,
    CONFLUENCE_REDIRECT_URI: `${gatewayUrl}/integrations/confluence/callback`,
    TOKEN_ENCRYPTION_KEYS: ENCRYPTION_KEYS,
    SERVICE_API_TOKEN: SERVICE_TOKEN,
    ATLASSIAN_AUTH_BASE_URL: emulator.url,
    ATLASSIAN_API_BASE_URL: emulator.url,
    // The benchmark measures the gateway's overhead, not the per-integration budget it would hit.
    TOOL_CALLS_PER_MINUTE: '1000000',
    CONFLUENCE_READ_CACHE_SECONDS: '0',
    ...settings,
  });
  const gateway = await startGatewayInWorkerd(bindings, 0, extras);
  const gatewayUrl = gateway.url;
  try {
    const integrationId = await connectOverHttp({
      gatewayUrl,
      serviceToken: SERVICE_TOKEN,
      ownerId: 'bench',
      name: 'Bench',
    });
    return {
      emulator,
      gateway,
      gatewayUrl,
      integrationId,
      startGateway: (more = {}) =>
        startGatewayInWorkerd(bindings(gatewayUrl), 0, {
          resourcePersistencePath: extras.resourcePersistencePath,
          ...more,
        }),
      toolRequest: (scenario, url = gatewayUrl) => ({
        url: `${url}/api/v1/integrations/${integrationId}/tools/${scenario.tool}`,
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(scenario.args),
      }),
    };
  } catch (error) {
    await gateway.close();
    await emulator.close();
    throw error;
  }
}

/** An access token for the bare proxy and direct runs, from the emulator's own OAuth flow. */
export async function emulatorAccessToken(emulatorUrl: string): Promise<string> {
  const redirectUri = 'http://127.0.0.1/bench-callback';
  const authorize = new URL(`${emulatorUrl}/authorize`);
  authorize.search = new URLSearchParams({
    audience: 'api.atlassian.com',
    client_id: CLIENT.clientId,
    scope:
      'read:confluence-content.all search:confluence read:page:confluence read:space:confluence offline_access',
    redirect_uri: redirectUri,
    state: 'bench',
    response_type: 'code',
    prompt: 'consent',
  }).toString();
  const consent = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(consent.headers.get('location') ?? '').searchParams.get('code');
  const token = await fetch(`${emulatorUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      code,
      redirect_uri: redirectUri,
    }),
  });
  return ((await token.json()) as { access_token: string }).access_token;
}
