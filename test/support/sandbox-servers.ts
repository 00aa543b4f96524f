/**
 * A real gateway and a real Atlassian emulator on loopback, wired together: the emulator in this
 * Node process, the gateway's production bundle (dist/index.js) in workerd via Miniflare, with
 * throwaway settings (a random key ring and service token). For tests and tools that need real HTTP
 * servers, e.g. the browser test of the connect flow.
 */
import { randomBytes } from 'node:crypto';
import { startEmulator } from '../../dev/emulator/server.ts';
import type { SitePreset } from '../../dev/emulator/sites.ts';
import { buildGateway, startGatewayInWorkerd } from './workerd.ts';

export interface SandboxServers {
  gatewayUrl: string;
  emulatorUrl: string;
  /** The service API token the gateway was started with. */
  serviceToken: string;
  /** A JSON call to the gateway's service API. */
  serviceApi(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startSandboxServers(
  options: {
    /**
     * Bundle the gateway first (`wrangler deploy --dry-run --outdir dist`). Default: yes, unless
     * GATEWAY_BUNDLE_READY=1 says a global setup has bundled it already (the "node" test project).
     */
    build?: boolean;
    autoApprove?: boolean;
    sitePreset?: SitePreset;
    /** Extra gateway settings, e.g. CONFLUENCE_OAUTH_SCOPE. */
    settings?: Record<string, string>;
  } = {},
): Promise<SandboxServers> {
  if (options.build ?? process.env.GATEWAY_BUNDLE_READY !== '1') buildGateway();
  const clientId = 'sandbox-client-id';
  const clientSecret = randomBytes(16).toString('hex');
  const serviceToken = `sandbox_${randomBytes(24).toString('base64url')}`;
  const emulator = await startEmulator({
    port: 0,
    autoApprove: options.autoApprove ?? false,
    sitePreset: options.sitePreset,
    clients: [{ clientId, clientSecret, name: 'Confluence Agent Gateway (sandbox)' }],
  });
  let gateway: Awaited<ReturnType<typeof startGatewayInWorkerd>>;
  try {
    // The callback URL names the gateway's own port: the settings are a function of its URL.
    gateway = await startGatewayInWorkerd((gatewayUrl) => ({
      CONFLUENCE_CLIENT_ID: clientId,
      CONFLUENCE_CLIENT_SECRET: clientSecret,
      CONFLUENCE_REDIRECT_URI: `${gatewayUrl}/integrations/confluence/callback`,
      TOKEN_ENCRYPTION_KEYS: `sandbox:${randomBytes(32).toString('base64')}`,
      SERVICE_API_TOKEN: serviceToken,
      ATLASSIAN_AUTH_BASE_URL: emulator.url,
      ATLASSIAN_API_BASE_URL: emulator.url,
      ...options.settings,
    }));
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return {
    gatewayUrl: gateway.url,
    emulatorUrl: emulator.url,
    serviceToken,
    serviceApi: (method, path, body) =>
      fetch(`${gateway.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${serviceToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    close: async () => {
      await gateway.close();
      await emulator.close();
    },
  };
}
