import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliveryClock } from '../../src/event-delivery/clock.ts';
import type { DeliveryMessage } from '../../src/event-delivery/outbox.ts';
import worker from '../../src/index.ts';
import { newIntegrationId } from '../../src/integrations/records.ts';
import { gateway, serviceApi } from './support/http.ts';
import { deliver, gatewayWith, newIntegration, receivingIntegration } from './support/webhooks.ts';

// Each event's first attempt travels the real queue (wrangler.toml's producer and consumer). Retries
// do not wait on it: the suite runs with EVENT_DELIVERY_FIRST_RETRY_SECONDS=600 and
// EVENT_DELIVERY_RETRY_WINDOW_SECONDS=7200 (vitest.config.ts), so the queue would bring a message
// back minutes later, long after the test. The test plays the queue's part instead (redeliver()):
// it moves event delivery's clock on by the delay the consumer asked for and hands the message back
// to the Worker's queue handler, so a two-hour retry window passes in milliseconds.

const RECEIVER_URL = (env as unknown as { RECEIVER_URL: string }).RECEIVER_URL;
const QUEUE = 'confluence-gateway-events';
const FIRST_RETRY_SECONDS = 600;
const WINDOW_SECONDS = 7200;

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
 * Polls until `check` answers something other than undefined: the real queue's first attempts run
 * on their own. This waits for an outcome, never for a fixed time.
 */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
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

/** How far the test has moved event delivery's clock past the wall clock. */
let clockAhead = 0;
beforeEach(() => {
  clockAhead = 0;
  vi.spyOn(deliveryClock, 'now').mockImplementation(() => Date.now() + clockAhead);
});

/** A message the consumer asked the queue to bring back after `delaySeconds`. */
interface QueuedRetry {
  message: DeliveryMessage;
  /** Attempts made so far with this message. */
  attempts: number;
  delaySeconds: number;
}

/**
 * The retry the queue holds after a failed first attempt of an event (of its `round`th sending:
 * a manual retry starts a new round), made over the real queue. Its log line says the delay asked
 * for (`retry_in_seconds`); the queue's own answer shows nowhere else.
 */
async function queuedRetry(id: string, eventId: string, round = 0): Promise<QueuedRetry> {
  const line = await until(`a failed first attempt of ${eventId}, round ${round}`, async () => {
    const firsts = attemptLines(eventId).filter((entry) => entry.attempt === 1 && entry.outcome === 'retry');
    return firsts[round];
  });
  expect(line.retry_in_seconds).toEqual(expect.any(Number));
  return {
    message: { integration_id: id, event_id: eventId, round },
    attempts: 1,
    delaySeconds: line.retry_in_seconds as number,
  };
}

/**
 * Plays the queue's part for one retry: the delay the consumer asked for passes on event
 * delivery's clock, not in real time, then the message comes back to the Worker's queue handler
 * (src/index.ts) in a batch of its own, as the queue would bring it. Answers the next retry the
 * handler asked for, or "acked".
 */
async function redeliver(retry: QueuedRetry): Promise<QueuedRetry | 'acked'> {
  clockAhead += retry.delaySeconds * 1000;
  const answers: ({ ack: true } | { ack: false; delaySeconds: number | undefined })[] = [];
  const message: Message<DeliveryMessage> = {
    id: crypto.randomUUID(),
    timestamp: new Date(),
    body: retry.message,
    attempts: retry.attempts + 1,
    ack: () => answers.push({ ack: true }),
    retry: (options) => answers.push({ ack: false, delaySeconds: options?.delaySeconds }),
  };
  const batch: MessageBatch<DeliveryMessage> = {
    queue: QUEUE,
    messages: [message],
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    ackAll: () => answers.push({ ack: true }),
    retryAll: (options) => answers.push({ ack: false, delaySeconds: options?.delaySeconds }),
  };
  await worker.queue(batch, env);
  expect(answers, 'one answer per message').toHaveLength(1);
  const [answer] = answers;
  if (answer?.ack) return 'acked';
  expect(answer?.delaySeconds).toEqual(expect.any(Number));
  return {
    message: retry.message,
    attempts: retry.attempts + 1,
    delaySeconds: answer?.delaySeconds as number,
  };
}

/** Redelivers until the queue is done with the message; answers the delays asked for on the way. */
async function redeliverUntilAcked(retry: QueuedRetry): Promise<number[]> {
  const delays = [retry.delaySeconds];
  for (let next = await redeliver(retry); next !== 'acked'; next = await redeliver(next)) {
    delays.push(next.delaySeconds);
    expect(delays.length, 'attempts within the retry window').toBeLessThan(20);
  }
  return delays;
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
    await redeliverUntilAcked(await queuedRetry(id, failing));
    expect(await deliveryOf(id, failing)).toMatchObject({ status: 'failed' });
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
    const second = await redeliver(await queuedRetry(id, eventId));
    expect(second).not.toBe('acked');
    expect(await redeliver(second as QueuedRetry)).toBe('acked');
    const delivered = (await deliveryOf(id, eventId)) as Delivery;
    expect(delivered.status).toBe('delivered');
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
    expect(await redeliver(await queuedRetry(id, eventId))).toBe('acked');
    expect(await deliveryOf(id, eventId)).toMatchObject({ status: 'delivered' });
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
    const delays = await redeliverUntilAcked(await queuedRetry(id, eventId));
    // Exponential backoff with equal jitter: between half and all of 600 s, 1200 s, 2400 s, …
    delays.forEach((delay, index) => {
      const ceiling = Math.min(3600, FIRST_RETRY_SECONDS * 2 ** index);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    });
    // Given up at the first attempt after which even the longest next delay could not fit the
    // window, and no sooner: the last attempt was still inside it.
    expect(clockAhead / 1000).toBeLessThanOrEqual(WINDOW_SECONDS);
    const nextCeiling = Math.min(3600, FIRST_RETRY_SECONDS * 2 ** delays.length);
    expect(clockAhead / 1000 + nextCeiling).toBeGreaterThan(WINDOW_SECONDS);
    const failed = (await deliveryOf(id, eventId)) as Delivery;
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toBe(delays.length + 1);
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
    const retry = await queuedRetry(id, queued);
    const newSecret = await setDestination(id, path);
    expect(await redeliver(retry)).toBe('acked');
    expect(await deliveryOf(id, queued)).toMatchObject({ status: 'delivered' });
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
    const retry = await queuedRetry(id, eventId);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    await receiverControl('POST', '/behaviour', { path, fail_next: 0 });
    // The queued retry comes back, finds nothing to send, and is acknowledged.
    expect(await redeliver(retry)).toBe('acked');
    expect(attemptLines(eventId).at(-1)).toMatchObject({ outcome: 'settled' });
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
    const queued = await queuedRetry(id, eventId);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/event-destination`)).status).toBe(204);
    await receiverControl('POST', '/behaviour', { path, fail_next: 0 });
    const failed = await deliveryOf(id, eventId);
    expect(failed).toMatchObject({
      status: 'failed',
      last_error: expect.stringMatching(/destination was removed/),
    });
    expect(await redeliver(queued)).toBe('acked');
    expect(attemptLines(eventId).at(-1)).toMatchObject({ outcome: 'settled' });
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
    const firstRound = await queuedRetry(id, eventId);
    // Removing the destination fails the event while its first round's retry is still queued.
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}/event-destination`)).status).toBe(204);
    await setDestination(id, path);
    const retry = await serviceApi('POST', `/api/v1/integrations/${id}/event-deliveries/${eventId}/retry`);
    expect(retry.status).toBe(202);
    const outbox = env.EVENT_OUTBOX.get(env.EVENT_OUTBOX.idFromName(id));
    expect(await outbox.startAttempt(eventId, 0)).toBeNull();
    // The second round's first attempt finds the destination still down.
    const secondRound = await queuedRetry(id, eventId, 1);
    const attemptsSoFar = (await arrivals(path)).length;
    // The first round's retry comes back and finds nothing to send: no attempt, no arrival.
    expect(await redeliver(firstRound)).toBe('acked');
    expect(attemptLines(eventId).at(-1)).toMatchObject({ outcome: 'settled' });
    expect(await arrivals(path)).toHaveLength(attemptsSoFar);
    await receiverControl('POST', '/behaviour', { path, down: false });
    expect(await redeliver(secondRound)).toBe('acked');
    expect(await deliveryOf(id, eventId)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('logs one line per attempt with ids, status and timing, never the payload, the URL path or a secret', async () => {
    const { id, webhookSecret, path, signingSecret } = await subscribed();
    await receiverControl('POST', '/behaviour', { path, fail_next: 1 });
    const marker = `payload-marker-${crypto.randomUUID()}`;
    const eventId = await receive(id, webhookSecret, {
      event: 'page_updated',
      page: { id: '13', title: marker },
    });
    expect(await redeliver(await queuedRetry(id, eventId))).toBe('acked');
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
