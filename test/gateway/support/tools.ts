import { expect } from 'vitest';
import { seedIntegration } from './connect.ts';
import { emulatorControl, gateway, SERVICE_TOKEN, serviceApi } from './http.ts';

/** The seeded world's ids (dev/emulator/seed.ts), as `GET /_emulator/seed` serves them. */
export const SEED = {
  spaces: {
    eng: { id: '98305', key: 'ENG' },
    ops: { id: '98306', key: 'OPS' },
    bulk: { id: '98307', key: 'BULK' },
    archived: { id: '98308', key: 'ARCH' },
  },
  pages: {
    engHome: '65537',
    architecture: '65538',
    runbooks: '65539',
    large: '65543',
    huge: '65544',
    deployRunbook: '65540',
    apiGuidelines: '65542',
    incidentResponse: '65541',
    restricted: '65545',
    glossary: '65548',
    draft: '65549',
    opsHome: '65601',
    bulkHome: '70000',
  },
  tree: {
    folder: '65560',
    meetingNotes: '65561',
    whiteboard: '65562',
    database: '65563',
    smokeTests: '65564',
    embed: '65565',
  },
  comments: {
    onArchitecture: '65901',
    reply: '65902',
    secondFooter: '65903',
    inline: '65904',
    inlineResolved: '65906',
  },
  attachments: {
    notes: 'att66001',
    csv: 'att66002',
    json: 'att66003',
    image: 'att66004',
    binary: 'att66005',
    log: 'att66006',
    largeImage: 'att66007',
  },
  users: {
    current: '712020:5e1d9c4b-3a2f-4e6d-8b7c-0a9f8e7d6c5b',
    alice: '5b10ac8d82e05b22cc7d4ef5',
    bob: '5c2f9b1e4d3a7f0012ab34cd',
  },
  bulkPageCount: 260,
} as const;

export interface CatalogEntry {
  name: string;
  description: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON Schema, read field by field in the tests
  input_schema: Record<string, any>;
}

export interface ToolAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field in the tests
  body: any;
}

/**
 * A connected acme integration (one Confluence site), seeded through the emulator's grant route
 * rather than the browser flow (support/connect.ts: seedIntegration). A Confluence call the connect
 * makes itself (the consenting account, read from the current user) is left out of the request log.
 */
export async function connectAcme(ownerId = 'owner-tools'): Promise<string> {
  const { id } = await seedIntegration({ ownerId, preset: 'single' });
  await clearRequestLog();
  return id;
}

/** POST /api/v1/integrations/:id/tools/:name with `args` as the body, by default with the service token. */
export async function callTool(
  integrationId: string,
  name: string,
  args: unknown = {},
  token: string | null = SERVICE_TOKEN,
): Promise<ToolAnswer> {
  const response = await gateway(`/api/v1/integrations/${integrationId}/tools/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof args === 'string' ? args : JSON.stringify(args),
  });
  return { status: response.status, body: await response.json() };
}

/** A new agent token for the integration. */
export async function agentToken(integrationId: string): Promise<string> {
  const response = await serviceApi('POST', `/api/v1/integrations/${integrationId}/agent-tokens`, {});
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

export interface LoggedRequest {
  /** The order it arrived in at the emulator. */
  seq: number;
  /** When the emulator answered, by its clock (ISO 8601). */
  at: string;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
}

/**
 * The Confluence calls the emulator received since the last clear or reset (the OAuth traffic left
 * out). A call that arrived before that (one an earlier test abandoned) stays out however late it
 * ends, so a test that clears first sees only its own calls.
 */
export async function confluenceRequests(): Promise<LoggedRequest[]> {
  const { requests } = await emulatorControl<{ requests: LoggedRequest[] }>(
    'GET',
    '/requests?path_prefix=/ex/confluence/',
  );
  return requests;
}

/** Starts this test's view of the request log (see confluenceRequests). */
export function clearRequestLog(): Promise<unknown> {
  return emulatorControl('DELETE', '/requests');
}

/**
 * The usual start of a tool test: the emulator reset, a fresh acme integration, and a request log
 * that shows only what the test itself sends after connecting.
 */
export async function freshAcme(): Promise<string> {
  await emulatorControl('POST', '/reset');
  const id = await connectAcme();
  await clearRequestLog();
  return id;
}

/** Queues a fault the emulator serves instead of the real answer. */
export function injectFault(fault: Record<string, unknown>): Promise<unknown> {
  return emulatorControl('POST', '/faults', fault);
}

/** Every request the gateway sent (and every answer the emulator gave) validates against Atlassian's specs. */
export async function expectNoSpecViolations(): Promise<void> {
  const { violations } = await emulatorControl<{ violations: unknown[] }>('GET', '/violations');
  expect(violations).toEqual([]);
}
