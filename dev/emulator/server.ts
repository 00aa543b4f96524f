import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEmulatorApp } from './app.ts';
import { DEFAULT_CLIENT, type OAuthClient, parseClient } from './oauth/clients.ts';
import { loadSpecs } from './openapi.ts';
import { DEFAULT_QUOTA, type QuotaConfig } from './quota.ts';
import { SITE_PRESETS, type SitePreset } from './sites.ts';
import { defaultBaseline, EmulatorState } from './state.ts';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Approve consent at once, without the consent page. Default false. */
  autoApprove?: boolean;
  /** Check Confluence traffic against Atlassian's OpenAPI specs when they are present. Default true. */
  validate?: boolean;
  /** Print one line per request. Default false. */
  log?: boolean;
  /** Registered OAuth clients; default one: test-client-id / test-client-secret. */
  clients?: ClientOption[];
  /** Which sites a consent grants; default "default" (two Confluence sites and a Jira one). */
  sitePreset?: SitePreset;
  accessTokenTtlSeconds?: number;
  /** Atlassian's points quota (quota.ts): pool size, window, tier, Beta- headers. Default 65,000 an hour, Tier 1. */
  quota?: Partial<QuotaConfig>;
}

/** A registered client, camelCase (`{clientId, clientSecret}`) or as the control API spells it. */
export type ClientOption =
  | { clientId: string; clientSecret: string; name?: string; redirectUris?: string[] }
  | (Pick<OAuthClient, 'client_id' | 'client_secret'> & Partial<OAuthClient>);

function toClient(option: ClientOption): OAuthClient {
  if ('clientId' in option) {
    return parseClient({
      client_id: option.clientId,
      client_secret: option.clientSecret,
      name: option.name,
      redirect_uris: option.redirectUris,
    });
  }
  return parseClient(option);
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the Atlassian emulator on loopback; `reset` returns it to the state these options describe. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const baseline = defaultBaseline();
  baseline.autoApprove = options.autoApprove ?? false;
  if (options.clients?.length) baseline.clients = options.clients.map(toClient);
  else baseline.clients = [DEFAULT_CLIENT];
  if (options.sitePreset) baseline.sites = SITE_PRESETS[options.sitePreset];
  if (options.accessTokenTtlSeconds) baseline.accessTokenTtlSeconds = options.accessTokenTtlSeconds;
  if (options.quota) baseline.quota = { ...DEFAULT_QUOTA, ...options.quota };

  const state = new EmulatorState(baseline);
  const specs = options.validate === false ? undefined : loadSpecs();
  const app = createEmulatorApp(state, { log: options.log ?? false, specs });
  const host = options.host ?? '127.0.0.1';
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve, reject) => {
      const server = serve(
        { fetch: app.fetch, port: options.port ?? 0, hostname: host },
        (info: AddressInfo) => resolve({ server, port: info.port }),
      );
      server.once('error', reject);
    },
  );
  // Outlive the clients' idle keep-alive sockets: a server closing one just as a client reuses it
  // shows up as ECONNRESET under load (the benchmark), which Atlassian's edge does not do.
  (server as Server).keepAliveTimeout = 65_000;
  (server as Server).headersTimeout = 66_000;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
