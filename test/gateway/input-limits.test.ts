import { beforeEach, describe, expect, it } from 'vitest';
import { connectIntegration } from './support/connect.ts';
import { emulatorControl, gateway, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { confluenceRequests } from './support/tools.ts';

beforeEach(() => emulatorControl('POST', '/reset'));

const LONG_ID = 'x'.repeat(600);

describe('ids the gateway never issued', () => {
  it('an overlong integration id is simply not found, on every route, never a 500', async () => {
    expect((await serviceApi('GET', `/api/v1/integrations/${LONG_ID}`)).status).toBe(404);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${LONG_ID}`)).status).toBe(404);
    expect(
      (await serviceApi('POST', `/api/v1/integrations/${LONG_ID}/tools/get_confluence_spaces`, {})).status,
    ).toBe(404);
    expect((await serviceApi('GET', `/api/v1/integrations/${LONG_ID}/events`)).status).toBe(404);
    const session = await serviceApi('POST', '/api/v1/connect-sessions', {
      owner_id: 'o',
      integration_id: LONG_ID,
    });
    expect(session.status).toBe(404);
    const webhook = await gateway(`/integrations/confluence/webhooks/${LONG_ID}`, {
      method: 'POST',
      headers: { 'x-webhook-secret': 'whsec_anything', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(webhook.status).toBe(401);
  });

  it('an agent token id of the wrong shape is not found', async () => {
    const { id } = await connectIntegration();
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/agent-tokens/${LONG_ID}`)).status).toBe(
      404,
    );
  });
});

describe('owner ids', () => {
  it('of any alphabet and length up to the limit connect, list and delete', async () => {
    const ownerId = '€'.repeat(200);
    const { id } = await connectIntegration({ ownerId });
    const list = await serviceApi('GET', `/api/v1/integrations?owner_id=${encodeURIComponent(ownerId)}`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { integrations: { id: string }[] }).integrations.map((i) => i.id)).toEqual(
      [id],
    );
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    const after = await serviceApi('GET', `/api/v1/integrations?owner_id=${encodeURIComponent(ownerId)}`);
    expect(((await after.json()) as { integrations: unknown[] }).integrations).toEqual([]);
  });
});

describe('request bodies', () => {
  it('a tool call body over 10 MiB is refused with 413 before anything reaches Confluence', async () => {
    const { id } = await connectIntegration();
    await emulatorControl('DELETE', '/requests');
    const response = await gateway(`/api/v1/integrations/${id}/tools/create_confluence_page`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ space_key: 'ENG', title: 'Huge', body: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ success: false, error: { code: 'payload_too_large' } });
    expect(await confluenceRequests()).toEqual([]);
  });

  it('a malformed multipart form to finalize gets a page saying what is missing, not a 500', async () => {
    const response = await gateway('/integrations/confluence/finalize', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: 'this is not multipart',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('The request was incomplete');
    expect(page).toContain('A required field was missing');
    expect(page).toContain('start connecting again');
  });
});
