import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import app from '../../../src/index.ts';
import { newIntegrationId, writeIntegration } from '../../../src/integrations/records.ts';
import { GATEWAY, gateway, serviceApi } from './http.ts';

/** An integration written directly: the webhook receiver and event delivery never need Atlassian tokens. */
export async function newIntegration(
  id = newIntegrationId(),
  name = 'Webhook receiver test',
): Promise<string> {
  const now = new Date().toISOString();
  await writeIntegration(env.CONFLUENCE_KV, {
    id,
    owner_id: 'owner-webhooks',
    name,
    status: 'active',
    site: { cloud_id: 'cloud-webhooks', url: 'https://webhooks.atlassian.net', name: 'webhooks' },
    scopes: ['read:page:confluence'],
    created_at: now,
    updated_at: now,
  });
  return id;
}

export interface IssuedSecret {
  url: string;
  secret: string;
  header: string;
}

export async function issueSecret(id: string): Promise<IssuedSecret> {
  const response = await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`);
  expect(response.status).toBe(201);
  return response.json();
}

/** An integration with a webhook secret, ready to receive. */
export async function receivingIntegration(): Promise<{ id: string; secret: string }> {
  const id = await newIntegration();
  return { id, secret: (await issueSecret(id)).secret };
}

export function delivery(
  id: string,
  secret: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): [string, RequestInit] {
  return [
    `/integrations/confluence/webhooks/${id}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === undefined ? {} : { 'x-webhook-secret': secret }),
        ...headers,
      },
      body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    },
  ];
}

/** An automation rule's POST to the receiver. */
export function deliver(
  id: string,
  secret: string | undefined,
  body: unknown,
  headers?: Record<string, string>,
) {
  return gateway(...delivery(id, secret, body, headers));
}

/** The app under a modified environment, as a deployment with other settings would run it. */
export async function gatewayWith(
  overrides: Partial<Env>,
  path: string,
  init?: RequestInit,
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(new URL(path, GATEWAY), init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}
