/**
 * The official MCP TypeScript clients, connected to a gateway URL with a bearer token: the v1 SDK
 * (`@modelcontextprotocol/sdk`, the 2025-era `initialize` handshake most deployed clients embed) and
 * the v2 client (`@modelcontextprotocol/client`) pinned to the 2026-07-28 revision (no `initialize`:
 * `server/discover`, then the version and client info in every request's `_meta`).
 */
import {
  Client as V2Client,
  StreamableHTTPClientTransport as V2Transport,
} from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** What the tests need of either client: the same calls, whichever era it speaks. */
export interface McpTestClient {
  era: '2025' | '2026-07-28';
  instructions(): string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: tool definitions are checked field by field
  listTools(): Promise<{ tools: any[] }>;
  // biome-ignore lint/suspicious/noExplicitAny: results are checked field by field
  callTool(name: string, args: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

export type ClientFactory = (
  url: string,
  token: string,
  headers?: Record<string, string>,
) => Promise<McpTestClient>;

const CLIENT_INFO = { name: 'gateway-tests', version: '1.0.0' };

export const connectV1: ClientFactory = async (url, token, headers = {}) => {
  const client = new V1Client(CLIENT_INFO);
  await client.connect(
    new V1Transport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } },
    }),
  );
  return {
    era: '2025',
    instructions: () => client.getInstructions(),
    listTools: () => client.listTools(),
    callTool: (name, args) => client.callTool({ name, arguments: args }),
    close: () => client.close(),
  };
};

export const connectV2: ClientFactory = async (url, token, headers = {}) => {
  const client = new V2Client(CLIENT_INFO, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(
    new V2Transport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${token}`, ...headers } },
    }),
  );
  return {
    era: '2026-07-28',
    instructions: () => client.getInstructions(),
    listTools: () => client.listTools(),
    callTool: (name, args) => client.callTool({ name, arguments: args }),
    close: () => client.close(),
  };
};
