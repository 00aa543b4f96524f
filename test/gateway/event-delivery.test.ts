import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newIntegrationId } from '../../src/integrations/records.ts';
import { gateway, serviceApi } from './support/http.ts';
import { deliver, gatewayWith, newIntegration, receivingIntegration } from './support/webhooks.ts';

// The suite runs with EVENT_DELIVERY_FIRST_RETRY_SECONDS=1 and EVENT_DELIVERY_RETRY_WINDOW_SECONDS=10
// (vitest.config.ts): the real queue, with its real delays, in seconds instead of hours.

const RECEIVER_URL = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;

interface Arrival {
  seq: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  answered: number;
}

interface Delivery {
  id: string;
  event: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_attempt_at: string | null;
  last_response_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
}

/** A receiving integration whose events go to a path of its own on the test receiver. */
async function subscribed(events?: string[]) {
  const { id, secret: webhookSecret } = await receivingIntegration();
  const path = `/platform/${crypto.randomUUID()}`;
  const signingSecret = await setDestination(id, path, events);
  return { id, webhookSecret, path, signingSecret };
}

async function setDestination(id: string, path: string, events?: string[]): Promise<string> {
  const response = await serviceApi('PUT', `/api/v1/integrations/${id}/event-destination`, {
    url: `${RECEIVER_URL}${path}`,
    ...(events && { events }),
  });
  expect(response.status).toBeLessThan(300);
  return ((await response.json()) as { secret: string }).secret;
}

async function receiverControl(method: string, path: string, body?: unknown) {
  const response = await fetch(`${RECEIVER_URL}/_receiver${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

async function arrivals(path: string): Promise<Arrival[]> {
  const { deliveries } = (await receiverControl('GET', `/deliveries?path=${encodeURIComponent(path)}`)) as {
    deliveries: Arrival[];
  };
  return deliveries;
}

/** Receives an event and answers its id (the newest event of the integration). */
async function receive(id: string, webhookSecret: string, body: Record<string, unknown>): Promise<string> {
  const response = await deliver(id, webhookSecret, body);
  expect(response.status).toBe(202);
  const listed = await serviceApi('GET', `/api/v1/integrations/${id}/events?limit=1`);
  const { events } = (await listed.json()) as { events: { id: string }[] };
  return events[0]?.id as string;
}

async function deliveries(id: string, query = ''): Promise<Delivery[]> {
  const response = await serviceApi('GET', `/api/v1/integrations/${id}/event-deliveries${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { deliveries: Delivery[] }).deliveries;
}

async function deliveryOf(id: string, eventId: string): Promise<Delivery | undefined> {
  return (await deliveries(id)).find((delivery) => delivery.id === eventId);
}

/**
 * Polls until `check` answers something other than undefined. The queue works in real seconds;
 * this waits for an outcome, never for a fixed time.
 */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function untilStatus(id: string, eventId: string, status: Delivery['status']): Promise<Delivery> {
  return until(`delivery ${eventId} to be ${status}`, async () => {
    const delivery = await deliveryOf(id, eventId);
    return delivery?.status === status ? delivery : undefined;
  });
}

function verifies(secret: string, arrival: Arrival): boolean {
  try {
    new Webhook(secret).verify(arrival.body, arrival.headers);
    return true;
  } catch {
    return false;
  }
}

/** Every console line the Worker writes, as text. */
let logged: string[] = [];
beforeEach(() => {
  logged = [];
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

function attemptLines(eventId: string): Record<string, unknown>[] {
  return logged
    .filter((line) => line.includes('"event_delivery_attempt"') && line.includes(eventId))
    .map((line) => JSON.parse(line));
}

describe('PUT /api/v1/integrations/:id/event-destination', () => {
  it('answers a Standard Webhooks signing secret once; GET shows the destination without it', async () => {
    const id = await newIntegration();
    const url = `${RECEIVER_URL}/platform/events`;
    const response = await serviceApi('PUT', `/api/v1/integrations/${id}/event-destination`, {
      url,
      events: ['page_updated', 'page_created'],
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const answer = (await response.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ url, events: ['page_updated', 'page_created'] });
    // whsec_ + standard base64 of 32 random bytes, as Standard Webhooks libraries expect.
    expect(answer.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const shown = await serviceApi('GET', `/api/v1/integrations/${id}/event-destination`);
    expect(shown.status).toBe(200);
    const destination = (await shown.json()) as Record<string, unknown>;
    expect(destination).toEqual({
      url,
      events: ['page_updated', 'page_created'],
      created_at: answer.created_at,
      updated_at: answer.updated_at,
    });
  });

  it('stores the signing secret sealed, never in plaintext', async () => {
    const id = await newIntegration();
    const secret = await setDestination(id, '/platform/sealed');
    const stored = await runInDurableObject(
      env.EVENT_OUTBOX.get(env.EVENT_OUTBOX.idFromName(id)),
      (_instance, state) => state.storage.sql.exec('SELECT * FROM destination').toArray(),
    );
    expect(stored).toHaveLength(1);
    expect(String(stored[0]?.sealed_secret)).toMatch(/^v1\./);
    const raw = secret.slice('whsec_'.length);
    expect(JSON.stringify(stored)).not.toContain(raw);
  });

  it('PUT again replaces the destination and answers a new secret (200)', async () => {
    const id = await newIntegration();
    const first = await setDestination(id, '/platform/one');
    const response = await serviceApi('PUT', `/api/v1/integrations/${id}/event-destination`, {
      url: `${RECEIVER_URL}/platform/two`,
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { url: string; events: null; secret: string };
    expect(answer.url).toBe(`${RECEIVER_URL}/platform/two`);
    expect(answer.events).toBeNull();
    expect(answer.secret).not.toBe(first);
  });

  it('refuses http:// unless EVENT_DESTINATIONS_ALLOW_HTTP is true', async () => {
    const id = await newIntegration();
    const put = (url: string) =>
      gatewayWith(
        { EVENT_DESTINATIONS_ALLOW_HTTP: undefined },
        `/api/v1/integrations/${id}/event-destination`,
        {
          method: 'PUT',
          headers: { authorization: `Bearer ${env.SERVICE_API_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ url }),
        },
      );
    const plain = await put('http://platform.example.com/events');
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { error: { message: string } }).error.message).toMatch(
      /https:\/\/.*EVENT_DESTINATIONS_ALLOW_HTTP/,
    );
    expect((await put('https://platform.example.com/events')).status).toBe(201);
  });

  it('refuses a bad body with 400 saying what to send instead', async () => {
    const id = await newIntegration();
    const cases: [unknown, RegExp][] = [
      [{}, /url/],
      [{ url: 'not a url' }, /url: expected an absolute https:\/\/ URL/],
      [{ url: 'ftp://platform.example.com/' }, /url/],
      [{ url: 'https://user:pw@platform.example.com/' }, /user name or password/],
      [{ url: 'https://platform.example.com/', events: [] }, /events: list at least one event name/],
      [{ url: 'https://platform.example.com/', events: 'page_updated' }, /events/],
      [{ url: 'https://platform.example.com/', extra: 1 }, /extra/],
    ];
    for (const [body, message] of cases) {
      const response = await serviceApi('PUT', `/api/v1/integrations/${id}/event-destination`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('invalid_request');
      expect(answer.error.message).toMatch(message);
    }
    expect((await serviceApi('GET', `/api/v1/integrations/${id}/event-destination`)).status).toBe(404);
  });

  it('needs the service token and a known integration', async () => {
    const id = await newIntegration();
    const anonymous = await gateway(`/api/v1/integrations/${id}/event-destination`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://platform.example.com/' }),
    });
    expect(anonymous.status).toBe(401);
    const unknown = await serviceApi('PUT', `/api/v1/integrations/${newIntegrationId()}/event-destination`, {
      url: 'https://platform.example.com/',
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'integration_not_found' } });
  });

  it('DELETE removes the destination (204), then answers 404', async () => {
    const id = await newIntegration();
    await setDestination(id, '/platform/gone');
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/event-destination`)).status).toBe(204);
    expect((await serviceApi('GET', `/api/v1/integrations/${id}/event-destination`)).status).toBe(404);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/event-destination`)).status).toBe(404);
  });

  it('several integrations may share one destination; each delivery names its integration', async () => {
    const path = `/platform/${crypto.randomUUID()}`;
    const first = await receivingIntegration();
    const second = await receivingIntegration();
    const firstSecret = await setDestination(first.id, path);
    const secondSecret = await setDestination(second.id, path);
    await receive(first.id, first.secret, { event: 'page_updated', page: { id: '1' } });
    await receive(second.id, second.secret, { event: 'page_updated', page: { id: '2' } });
    const both = await until('two arrivals', async () => {
      const seen = await arrivals(path);
      return seen.length === 2 ? seen : undefined;
    });
    const byIntegration = Object.fromEntries(
      both.map((arrival) => [JSON.parse(arrival.body).integration_id, arrival]),
    );
    expect(verifies(firstSecret, byIntegration[first.id] as Arrival)).toBe(true);
    expect(verifies(secondSecret, byIntegration[second.id] as Arrival)).toBe(true);
  });
});

describe('event delivery over the queue', () => {
  it('POSTs each new event, signed so that a Standard Webhooks verifier accepts it', async () => {
    const { id, webhookSecret, path, signingSecret } = await subscribed();
    const eventId = await receive(id, webhookSecret, {
      event: 'page_updated',
      page: { id: '123', title: 'Plan' },
    });
    const [arrival] = await until('the delivery', async () => {
      const seen = await arrivals(path);
      return seen.length ? seen : undefined;
    });
    expect(arrival?.headers['webhook-id']).toBe(eventId);
    expect(arrival?.headers['content-type']).toBe('application/json');
    const verified = new Webhook(signingSecret).verify(
      arrival?.body as string,
      arrival?.headers as Record<string, string>,
    );
    expect(verified).toEqual({
      id: eventId,
      integration_id: id,
      received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      event: 'page_updated',
      page_id: '123',
      payload: { event: 'page_updated', page: { id: '123', title: 'Plan' } },
    });
    // Another secret does not verify it.
    expect(verifies(`whsec_${btoa('x'.repeat(32))}`, arrival as Arrival)).toBe(false);

    const delivered = await untilStatus(id, eventId, 'delivered');
    expect(delivered).toMatchObject({ attempts: 1, last_response_status: 204, last_error: null });
    expect(delivered.delivered_at).toMatch(/^\d{4}-/);
  });

  it('GET …/events shows each pushed event’s delivery state', async () => {
    const { id, webhookSecret, path } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, down: true });
    const failing = await receive(id, webhookSecret, { event: 'page_updated', n: 1 });
    await until('a first attempt', async () => ((await arrivals(path)).length ? true : undefined));
    const listed = async () => {
      const response = await serviceApi('GET', `/api/v1/integrations/${id}/events`);
      return ((await response.json()) as { events: { id: string; delivery?: Delivery }[] }).events;
    };
    const waiting = await until('the first attempt to be recorded', async () => {
      const delivery = (await listed()).find((event) => event.id === failing)?.delivery;
      return delivery?.last_error ? delivery : undefined;
    });
    expect(waiting).toMatchObject({
      status: 'pending',
      last_error: expect.stringMatching(/could not be reached/),
    });
    await untilStatus(id, failing, 'failed');
    await receiverControl('POST', '/behaviour', { path, down: false });
    const ok = await receive(id, webhookSecret, { event: 'page_updated', n: 2 });
    await untilStatus(id, ok, 'delivered');
    const events = await listed();
    expect(events.find((event) => event.id === failing)?.delivery).toMatchObject({
      status: 'failed',
      last_error: expect.stringMatching(/could not be reached/),
    });
    expect(events.find((event) => event.id === ok)?.delivery).toMatchObject({
      status: 'delivered',
      last_response_status: 204,
      delivered_at: expect.stringMatching(/^\d{4}-/),
    });
  });

  it('a duplicate event is delivered once', async () => {
    const { id, webhookSecret, path } = await subscribed();
    const body = { event: 'page_updated', page: { id: '7' } };
    const first = await receive(id, webhookSecret, body);
    expect(await (await deliver(id, webhookSecret, body)).json()).toEqual({
      accepted: true,
      duplicate: true,
    });
    const second = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '8' } });
    await untilStatus(id, first, 'delivered');
    await untilStatus(id, second, 'delivered');
    expect((await arrivals(path)).map((arrival) => arrival.headers['webhook-id']).sort()).toEqual(
      [first, second].sort(),
    );
  });

  it('with events set, delivers only the named events', async () => {
    const { id, webhookSecret, path } = await subscribed(['page_created']);
    const skipped = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '1' } });
    const wanted = await receive(id, webhookSecret, { event: 'page_created', page: { id: '2' } });
    await untilStatus(id, wanted, 'delivered');
    expect((await arrivals(path)).map((arrival) => arrival.headers['webhook-id'])).toEqual([wanted]);
    expect(await deliveryOf(id, skipped)).toBeUndefined();
  });

  it('a destination failing twice and then accepting gets three attempts and one delivery, under one webhook-id', async () => {
    const { id, webhookSecret, path, signingSecret } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, fail_next: 2, status: 503 });
    const eventId = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '9' } });
    const delivered = await untilStatus(id, eventId, 'delivered');
    expect(delivered.attempts).toBe(3);
    const seen = await arrivals(path);
    expect(seen.map((arrival) => arrival.answered)).toEqual([503, 503, 204]);
    expect(new Set(seen.map((arrival) => arrival.headers['webhook-id']))).toEqual(new Set([eventId]));
    // Each attempt is signed afresh (its own timestamp) and verifies.
    expect(seen.every((arrival) => verifies(signingSecret, arrival))).toBe(true);
    const lines = attemptLines(eventId);
    expect(lines.map((line) => line.outcome)).toEqual(['retry', 'retry', 'delivered']);
    expect(lines.map((line) => line.status)).toEqual([503, 503, 204]);
  });

  it('does not follow a redirect: the event goes only to the URL set, and the redirect is retried as a failure', async () => {
    const { id, webhookSecret, path } = await subscribed();
    const elsewhere = `/platform/${crypto.randomUUID()}`;
    await receiverControl('POST', '/behaviour', {
      path,
      fail_next: 1,
      status: 307,
      location: `${RECEIVER_URL}${elsewhere}`,
    });
    const eventId = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '10' } });
    await untilStatus(id, eventId, 'delivered');
    expect((await arrivals(path)).map((arrival) => arrival.answered)).toEqual([307, 204]);
    expect(await arrivals(elsewhere)).toEqual([]);
    const [first] = attemptLines(eventId);
    expect(first).toMatchObject({ status: 307, outcome: 'retry' });
    expect(String(first?.error)).toMatch(/redirect, which is not followed/);
  });

  it('a destination down past the retry window leaves the event failed; a manual retry delivers it', async () => {
    const { id, webhookSecret, path, signingSecret } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, down: true });
    const eventId = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '10' } });
    const failed = await untilStatus(id, eventId, 'failed');
    expect(failed.attempts).toBeGreaterThanOrEqual(2);
    expect(failed.last_error).toMatch(/could not be reached/);
    expect((await deliveries(id, '?status=failed')).map((delivery) => delivery.id)).toEqual([eventId]);
    expect(await deliveries(id, '?status=pending')).toEqual([]);
    const attemptsWhileDown = (await arrivals(path)).length;
    expect(attemptsWhileDown).toBe(failed.attempts);

    await receiverControl('POST', '/behaviour', { path, down: false });
    const retried = await serviceApi('POST', `/api/v1/integrations/${id}/event-deliveries/${eventId}/retry`);
    expect(retried.status).toBe(202);
    expect(await retried.json()).toEqual({ id: eventId, status: 'pending' });
    const delivered = await untilStatus(id, eventId, 'delivered');
    expect(delivered.attempts).toBe(1);
    const last = (await arrivals(path)).at(-1) as Arrival;
    expect(last.answered).toBe(204);
    expect(last.headers['webhook-id']).toBe(eventId);
    expect(verifies(signingSecret, last)).toBe(true);
    expect(await deliveries(id, '?status=failed')).toEqual([]);

    // Only a failed delivery can be retried.
    const again = await serviceApi('POST', `/api/v1/integrations/${id}/event-deliveries/${eventId}/retry`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'conflict' } });
  });

  it('a new secret signs every attempt made after the change, queued retries included; the old one signs none', async () => {
    const { id, webhookSecret, path, signingSecret: oldSecret } = await subscribed();
    const before = await receive(id, webhookSecret, { event: 'page_updated', n: 1 });
    await untilStatus(id, before, 'delivered');

    await receiverControl('POST', '/behaviour', { path, fail_next: 1 });
    const queued = await receive(id, webhookSecret, { event: 'page_updated', n: 2 });
    await until('the first attempt', async () => ((await arrivals(path)).length === 2 ? true : undefined));
    const newSecret = await setDestination(id, path);
    await untilStatus(id, queued, 'delivered');
    const after = await receive(id, webhookSecret, { event: 'page_updated', n: 3 });
    await untilStatus(id, after, 'delivered');

    const [first, failedAttempt, retriedAttempt, newEvent] = await arrivals(path);
    expect(verifies(oldSecret, first as Arrival)).toBe(true);
    expect(verifies(oldSecret, failedAttempt as Arrival)).toBe(true);
    for (const arrival of [retriedAttempt, newEvent] as Arrival[]) {
      expect(verifies(newSecret, arrival)).toBe(true);
      expect(verifies(oldSecret, arrival)).toBe(false);
    }
    expect(retriedAttempt?.headers['webhook-id']).toBe(queued);
  });

  it('deleting the integration stops its deliveries, queued retries included', async () => {
    const { id, webhookSecret, path } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, fail_next: 100 });
    const eventId = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '11' } });
    await until('a first attempt', async () => ((await arrivals(path)).length ? true : undefined));
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    await receiverControl('POST', '/behaviour', { path, fail_next: 0 });
    // The queued retry comes back, finds nothing to send, and is acknowledged.
    await until('the retry to be dropped', async () =>
      attemptLines(eventId).some((line) => line.outcome === 'settled') ? true : undefined,
    );
    expect((await arrivals(path)).every((arrival) => arrival.answered === 503)).toBe(true);
    // Every arrival is an attempt begun before the deletion: none began after it.
    expect((await arrivals(path)).length).toBe(
      attemptLines(eventId).filter((line) => line.attempt !== undefined).length,
    );
  });

  it('removing the destination stops its deliveries and fails the waiting ones', async () => {
    const { id, webhookSecret, path } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, fail_next: 100 });
    const eventId = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '12' } });
    await until('a first attempt', async () => ((await arrivals(path)).length ? true : undefined));
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/event-destination`)).status).toBe(204);
    await receiverControl('POST', '/behaviour', { path, fail_next: 0 });
    const failed = await deliveryOf(id, eventId);
    expect(failed).toMatchObject({
      status: 'failed',
      last_error: expect.stringMatching(/destination was removed/),
    });
    await until('the retry to be dropped', async () =>
      attemptLines(eventId).some((line) => line.outcome === 'settled') ? true : undefined,
    );
    expect((await arrivals(path)).every((arrival) => arrival.answered === 503)).toBe(true);
    // Retrying needs a destination again.
    const retry = await serviceApi('POST', `/api/v1/integrations/${id}/event-deliveries/${eventId}/retry`);
    expect(retry.status).toBe(404);
    expect(((await retry.json()) as { error: { message: string } }).error.message).toMatch(/PUT/);
  });

  it('a manual retry starts a new round: a message of the earlier round finds nothing to send', async () => {
    const { id, webhookSecret, path } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, down: true });
    const eventId = await receive(id, webhookSecret, { event: 'page_updated', page: { id: '14' } });
    await until('a first attempt', async () => ((await arrivals(path)).length ? true : undefined));
    // Removing the destination fails the event while its first round's retry is still queued.
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/event-destination`)).status).toBe(204);
    await setDestination(id, path);
    const retry = await serviceApi('POST', `/api/v1/integrations/${id}/event-deliveries/${eventId}/retry`);
    expect(retry.status).toBe(202);
    const outbox = env.EVENT_OUTBOX.get(env.EVENT_OUTBOX.idFromName(id));
    expect(await outbox.startAttempt(eventId, 0)).toBeNull();
    await receiverControl('POST', '/behaviour', { path, down: false });
    await untilStatus(id, eventId, 'delivered');
  });

  it('logs one line per attempt with ids, status and timing, never the payload, the URL path or a secret', async () => {
    const { id, webhookSecret, path, signingSecret } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, fail_next: 1 });
    const marker = `payload-marker-${crypto.randomUUID()}`;
    const eventId = await receive(id, webhookSecret, {
      event: 'page_updated',
      page: { id: '13', title: marker },
    });
    await untilStatus(id, eventId, 'delivered');
    const lines = attemptLines(eventId);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({
        integration_id: id,
        event_id: eventId,
        destination_host: new URL(RECEIVER_URL).host,
      });
      expect(line.duration_ms).toEqual(expect.any(Number));
    }
    const everything = logged.join('\n');
    expect(everything).not.toContain(marker);
    expect(everything).not.toContain(path);
    expect(everything).not.toContain(signingSecret.slice('whsec_'.length));
    expect(everything).not.toContain(webhookSecret);
  });
});

describe('GET /api/v1/integrations/:id/event-deliveries', () => {
  it('lists deliveries newest first, by status, a page at a time', async () => {
    const { id, webhookSecret } = await subscribed();
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push(await receive(id, webhookSecret, { event: 'page_updated', n }));
    for (const eventId of ids) await untilStatus(id, eventId, 'delivered');
    const first = await serviceApi(
      'GET',
      `/api/v1/integrations/${id}/event-deliveries?status=delivered&limit=2`,
    );
    const page = (await first.json()) as { deliveries: Delivery[]; next_cursor: string | null };
    expect(page.deliveries.map((delivery) => delivery.id)).toEqual([ids[2], ids[1]]);
    const next = await serviceApi(
      'GET',
      `/api/v1/integrations/${id}/event-deliveries?status=delivered&limit=2&cursor=${page.next_cursor}`,
    );
    expect(await next.json()).toMatchObject({ deliveries: [{ id: ids[0] }], next_cursor: null });
    expect(await deliveries(id, '?status=failed')).toEqual([]);
  });

  it('refuses an unknown status or a made-up cursor with 400', async () => {
    const id = await newIntegration();
    const status = await serviceApi('GET', `/api/v1/integrations/${id}/event-deliveries?status=lost`);
    expect(status.status).toBe(400);
    expect(((await status.json()) as { error: { message: string } }).error.message).toMatch(/status/);
    const cursor = await serviceApi('GET', `/api/v1/integrations/${id}/event-deliveries?cursor=abc`);
    expect(cursor.status).toBe(400);
  });

  it('retrying an unknown delivery answers 404', async () => {
    const { id } = await subscribed();
    const response = await serviceApi(
      'POST',
      `/api/v1/integrations/${id}/event-deliveries/evt_0000-00/retry`,
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /status=failed/,
    );
  });
});
