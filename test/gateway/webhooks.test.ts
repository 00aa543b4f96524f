import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { listKeys, newIntegrationId } from '../../src/integrations/records.ts';
import { kvKeys } from '../../src/kv-keys.ts';
import { sha256Hex } from '../../src/vault/crypto.ts';
import { WRONG_SECRETS_PER_MINUTE } from '../../src/webhooks/inbox.ts';
import { connectIntegration, kvDump } from './support/connect.ts';
import { emulatorControl, GATEWAY, gateway, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { finishSweep } from './support/lifecycle.ts';
import {
  deliver,
  delivery,
  gatewayWith,
  type IssuedSecret,
  issueSecret,
  newIntegration,
  receivingIntegration,
} from './support/webhooks.ts';

interface ListedEvent {
  id: string;
  received_at: string;
  event: string | null;
  page_id?: string;
  payload: Record<string, unknown>;
}

async function listPage(
  id: string,
  query = '',
): Promise<{ events: ListedEvent[]; next_cursor: string | null }> {
  const response = await serviceApi('GET', `/api/v1/integrations/${id}/events${query}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** Every listed event, following next_cursor to the end. */
async function listAll(id: string, limit = 100): Promise<ListedEvent[]> {
  const events: ListedEvent[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await listPage(id, query);
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}

function inboxOf(id: string) {
  return env.WEBHOOK_INBOX.get(env.WEBHOOK_INBOX.idFromName(id));
}

/** A KV namespace whose writes fail, as KV sometimes does. */
function failingKv(failures: number, delayMs = 0): KVNamespace {
  const kv = env.CONFLUENCE_KV;
  let left = failures;
  return new Proxy(kv, {
    get(target, property) {
      if (property === 'put' && left > 0) {
        return async () => {
          left--;
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          throw new Error('KV PUT failed: 503 Service Unavailable');
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** A JSON object body of exactly `bytes` bytes. */
function jsonOfSize(bytes: number): string {
  const skeleton = JSON.stringify({ event: 'page_updated', filler: '' });
  return JSON.stringify({ event: 'page_updated', filler: 'x'.repeat(bytes - skeleton.length) });
}

/** The promise's value, or a failure once `ms` have passed: a gateway that waits forever fails fast. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);
}

beforeEach(() => emulatorControl('POST', '/reset'));

describe('POST /api/v1/integrations/:id/webhook-secret', () => {
  it('issues a random secret with the receiver URL on this gateway’s own origin and the header to send', async () => {
    const id = await newIntegration();
    const response = await serviceApi('POST', `/api/v1/integrations/${id}/webhook-secret`);
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const issued: IssuedSecret = await response.json();
    expect(issued.url).toBe(`${GATEWAY}/integrations/confluence/webhooks/${id}`);
    expect(issued.header).toBe('X-Webhook-Secret');
    // whsec_ + base64url of 32 random bytes (43 characters).
    expect(issued.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect((await issueSecret(id)).secret).not.toBe(issued.secret);

    const elsewhere = await gateway(`https://gateway.example.com/api/v1/integrations/${id}/webhook-secret`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}` },
    });
    expect(((await elsewhere.json()) as IssuedSecret).url).toBe(
      `https://gateway.example.com/integrations/confluence/webhooks/${id}`,
    );
  });

  it('stores the secret only as its SHA-256 hash', async () => {
    const id = await newIntegration();
    const { secret } = await issueSecret(id);
    const stored = await runInDurableObject(inboxOf(id), (_instance, state) =>
      state.storage.sql.exec('SELECT name, value FROM inbox_settings').toArray(),
    );
    expect(stored).toContainEqual({ name: 'secret_hash', value: await sha256Hex(secret) });
    expect(JSON.stringify(stored)).not.toContain(secret);
    for (const key of await listKeys(env.CONFLUENCE_KV, '')) {
      expect(key).not.toContain(secret);
      expect((await env.CONFLUENCE_KV.get(key)) ?? '').not.toContain(secret);
    }
  });

  it('a rotated secret stops working at once: the old one gets 401, the new one 202', async () => {
    const { id, secret: old } = await receivingIntegration();
    expect((await deliver(id, old, { n: 1 })).status).toBe(202);
    const { secret: current } = await issueSecret(id);
    expect((await deliver(id, old, { n: 2 })).status).toBe(401);
    expect((await deliver(id, current, { n: 3 })).status).toBe(202);
  });

  it('answers 404 for an unknown integration', async () => {
    const response = await serviceApi('POST', `/api/v1/integrations/${newIntegrationId()}/webhook-secret`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'integration_not_found' } });
  });

  it('requires the service token', async () => {
    const id = await newIntegration();
    const response = await gateway(`/api/v1/integrations/${id}/webhook-secret`, { method: 'POST' });
    expect(response.status).toBe(401);
  });
});

describe('POST /integrations/confluence/webhooks/:id', () => {
  it('refuses a delivery for an id with no integration before any Durable Object wakes', async () => {
    let woken = 0;
    const counting = new Proxy(env.WEBHOOK_INBOX, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          woken++;
          return (value as (...rest: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const [path, init] = delivery(newIntegrationId(), 'whsec_guess', { event: 'page_created' });
    expect((await gatewayWith({ WEBHOOK_INBOX: counting }, path, init)).status).toBe(401);
    expect(woken).toBe(0);
  });

  it('throttles repeated wrong secrets for one id with 429 and Retry-After, while the right secret still works', async () => {
    const { id, secret } = await receivingIntegration();
    const statuses: number[] = [];
    for (let n = 0; n <= WRONG_SECRETS_PER_MINUTE + 2; n++) {
      statuses.push((await deliver(id, `whsec_wrong${n}`, { n })).status);
    }
    expect(statuses.slice(0, WRONG_SECRETS_PER_MINUTE)).toEqual(Array(WRONG_SECRETS_PER_MINUTE).fill(401));
    expect(statuses.slice(WRONG_SECRETS_PER_MINUTE)).toEqual([429, 429, 429]);

    const throttled = await deliver(id, 'whsec_wrong-again', { n: 'again' });
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await throttled.json()).toMatchObject({
      error: { code: 'rate_limited', retry_after_seconds: retryAfter },
    });
    expect((await deliver(id, secret, { n: 'right' })).status).toBe(202);
  });

  it('accepts a JSON object with the right secret: 202 {accepted: true, duplicate: false}', async () => {
    const { id, secret } = await receivingIntegration();
    const response = await deliver(id, secret, { event: 'page_published', page: { id: '42' } });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, duplicate: false });
  });

  it('a wrong secret, a missing secret and an unknown integration all get the same 401', async () => {
    const { id, secret } = await receivingIntegration();
    const withoutSecret = await newIntegration();
    const answers = [
      await deliver(id, `${secret}x`, { n: 1 }),
      await deliver(id, 'whsec_wrong', { n: 1 }),
      await deliver(id, undefined, { n: 1 }),
      await deliver(newIntegrationId(), secret, { n: 1 }),
      await deliver(withoutSecret, secret, { n: 1 }),
    ];
    const bodies = await Promise.all(answers.map((response) => response.text()));
    expect(answers.map((response) => response.status)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] as string)).toMatchObject({
      success: false,
      error: { code: 'unauthorized', retryable: false },
    });
    expect(await listAll(id)).toEqual([]);
  });

  it('checks the secret before the body: an unauthenticated bad or oversized body still gets 401', async () => {
    const { id } = await receivingIntegration();
    expect((await deliver(id, 'whsec_wrong', 'not json')).status).toBe(401);
    expect((await deliver(id, 'whsec_wrong', jsonOfSize(200 * 1024))).status).toBe(401);
  });

  it('refuses a body that is not a JSON object with 400 saying what to send', async () => {
    const { id, secret } = await receivingIntegration();
    const cases: [string | Uint8Array, RegExp][] = [
      ['{"event": ', /not valid JSON/],
      ['[{"event": "page_updated"}]', /must be a JSON object.*got an array/],
      ['"page_updated"', /must be a JSON object.*got a string/],
      ['null', /must be a JSON object.*got null/],
      ['', /empty/],
      [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /not UTF-8/],
      [`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`, /deeper than 64 levels/],
    ];
    for (const [body, message] of cases) {
      const response = await deliver(id, secret, body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('invalid_request');
      expect(answer.error.message).toMatch(message);
    }
    expect(await listAll(id)).toEqual([]);
  });

  it('accepts exactly 64 KiB of JSON and keeps it whole', async () => {
    const { id, secret } = await receivingIntegration();
    const body = jsonOfSize(64 * 1024);
    expect(new TextEncoder().encode(body).byteLength).toBe(65_536);
    const response = await deliver(id, secret, body);
    expect(response.status).toBe(202);
    const [event] = await listAll(id);
    expect(event?.payload).toEqual(JSON.parse(body));
  });

  it('refuses 64 KiB + 1 byte with 413 and stores nothing', async () => {
    const { id, secret } = await receivingIntegration();
    const response = await deliver(id, secret, jsonOfSize(64 * 1024 + 1));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await listAll(id)).toEqual([]);
  });

  it('refuses a Content-Length over 64 KiB before reading the body', async () => {
    const { id, secret } = await receivingIntegration();
    // A body that never sends a byte: only an answer that does not wait for it can arrive.
    const silent = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const response = await within(
      2000,
      gateway(`/integrations/confluence/webhooks/${id}`, {
        method: 'POST',
        headers: { 'x-webhook-secret': secret, 'content-length': String(10 * 1024 * 1024) },
        body: silent,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
  });

  it('stops reading a streamed body soon after it passes 64 KiB', async () => {
    const { id, secret } = await receivingIntegration();
    // 8 MiB offered in 4 KiB chunks, counted as the gateway pulls them.
    let pulled = 0;
    const large = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 8 * 1024 * 1024) return controller.close();
        pulled += 4096;
        controller.enqueue(new Uint8Array(4096).fill(0x20));
      },
    });
    const response = await within(
      2000,
      gateway(`/integrations/confluence/webhooks/${id}`, {
        method: 'POST',
        headers: { 'x-webhook-secret': secret },
        body: large,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    // The limit plus what the runtime's pipe buffers ahead: nowhere near an endless read.
    expect(pulled).toBeGreaterThan(64 * 1024);
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it('acknowledges a repeat with the same X-Event-Id as a duplicate and stores it once', async () => {
    const { id, secret } = await receivingIntegration();
    const first = await deliver(id, secret, { title: 'v1' }, { 'x-event-id': '123-7' });
    const again = await deliver(id, secret, { title: 'v1, sent again' }, { 'x-event-id': '123-7' });
    expect(await first.json()).toEqual({ accepted: true, duplicate: false });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: true, duplicate: true });
    const other = await deliver(id, secret, { title: 'v1' }, { 'x-event-id': '123-8' });
    expect(await other.json()).toEqual({ accepted: true, duplicate: false });
    const events = await listAll(id);
    expect(events.map((event) => event.payload.title)).toEqual(['v1', 'v1']);
  });

  it('without X-Event-Id, the same body in any key order or spacing is a duplicate', async () => {
    const { id, secret } = await receivingIntegration();
    const first = await deliver(id, secret, '{"event":"page_updated","page":{"id":"9","version":2}}');
    const reordered = await deliver(
      id,
      secret,
      '{ "page": { "version": 2, "id": "9" },\n  "event": "page_updated" }',
    );
    const changed = await deliver(id, secret, '{"event":"page_updated","page":{"id":"9","version":3}}');
    expect(await first.json()).toEqual({ accepted: true, duplicate: false });
    expect(await reordered.json()).toEqual({ accepted: true, duplicate: true });
    expect(await changed.json()).toEqual({ accepted: true, duplicate: false });
    expect(await listAll(id)).toHaveLength(2);
  });

  it('refuses an X-Event-Id longer than 256 characters with 400', async () => {
    const { id, secret } = await receivingIntegration();
    const response = await deliver(id, secret, { n: 1 }, { 'x-event-id': 'e'.repeat(257) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringMatching(/X-Event-Id/) } });
  });

  it('stores 100 concurrent repeats of one event once: one duplicate:false, 99 duplicate:true', async () => {
    const { id, secret } = await receivingIntegration();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        gatewayWith(
          { WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000' },
          ...delivery(id, secret, { event: 'page_updated', page: { id: '77' } }),
        ),
      ),
    );
    expect(answers.map((response) => response.status)).toEqual(Array(100).fill(202));
    const bodies = (await Promise.all(answers.map((response) => response.json()))) as {
      duplicate: boolean;
    }[];
    expect(bodies.filter((body) => !body.duplicate)).toHaveLength(1);
    expect(bodies.filter((body) => body.duplicate)).toHaveLength(99);
    expect(await listAll(id)).toHaveLength(1);
    expect(await listKeys(env.CONFLUENCE_KV, kvKeys.webhookEventsPrefix(id))).toHaveLength(1);
  });

  it('a failed KV write leaves no dedupe mark: the sender’s retry is stored', async () => {
    const { id, secret } = await receivingIntegration();
    const body = { event: 'page_created', page: { id: '5' } };
    const failed = await gatewayWith({ CONFLUENCE_KV: failingKv(1) }, ...delivery(id, secret, body));
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ error: { code: 'internal_error', retryable: true } });
    expect(await listAll(id)).toEqual([]);

    const retried = await deliver(id, secret, body);
    expect(await retried.json()).toEqual({ accepted: true, duplicate: false });
    expect((await listAll(id)).map((event) => event.payload)).toEqual([body]);
  });

  it('repeats that arrive while the first write fails are not called duplicates: one of them stores it', async () => {
    const { id, secret } = await receivingIntegration();
    const kv = failingKv(1, 200);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        gatewayWith({ CONFLUENCE_KV: kv }, ...delivery(id, secret, { event: 'page_moved' })),
      ),
    );
    const outcomes = await Promise.all(
      answers.map(async (response) => `${response.status} ${JSON.stringify(await response.json())}`),
    );
    expect(outcomes.filter((outcome) => outcome.startsWith('500'))).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.includes('"duplicate":false'))).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.includes('"duplicate":true'))).toHaveLength(8);
    expect(await listAll(id)).toHaveLength(1);
  });

  it('answers 429 with Retry-After once an integration passes its new events per minute', async () => {
    const { id, secret } = await receivingIntegration();
    const capped = { WEBHOOK_RATE_LIMIT_PER_MINUTE: '3' };
    for (let n = 1; n <= 3; n++) {
      expect((await gatewayWith(capped, ...delivery(id, secret, { n }))).status).toBe(202);
    }
    const refused = await gatewayWith(capped, ...delivery(id, secret, { n: 4 }));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.json()).toMatchObject({
      success: false,
      error: { code: 'rate_limited', retryable: true, retry_after_seconds: retryAfter },
    });
    // Another integration has its own allowance.
    const other = await receivingIntegration();
    expect((await gatewayWith(capped, ...delivery(other.id, other.secret, { n: 4 }))).status).toBe(202);
    expect((await listAll(id)).map((event) => event.payload.n)).toEqual([3, 2, 1]);
  });

  it('acknowledges a duplicate even over the cap, without counting it', async () => {
    const { id, secret } = await receivingIntegration();
    const capped = { WEBHOOK_RATE_LIMIT_PER_MINUTE: '2' };
    expect((await gatewayWith(capped, ...delivery(id, secret, { n: 1 }))).status).toBe(202);
    for (let i = 0; i < 5; i++) {
      const repeat = await gatewayWith(capped, ...delivery(id, secret, { n: 1 }));
      expect(await repeat.json()).toEqual({ accepted: true, duplicate: true });
    }
    expect((await gatewayWith(capped, ...delivery(id, secret, { n: 2 }))).status).toBe(202);
    expect((await gatewayWith(capped, ...delivery(id, secret, { n: 3 }))).status).toBe(429);
    expect((await gatewayWith(capped, ...delivery(id, secret, { n: 1 }))).status).toBe(202);
  });
});

describe('GET /api/v1/integrations/:id/events', () => {
  it('lists events newest first with their id, time, type, page id and whole body', async () => {
    const { id, secret } = await receivingIntegration();
    const bodies = [
      { event: 'page_created', page: { id: '100', title: 'First' } },
      { eventType: 'page_updated', page_id: 200, space: { key: 'ENG' } },
      { note: 'no known fields' },
    ];
    for (const body of bodies) expect((await deliver(id, secret, body)).status).toBe(202);
    const { events, next_cursor } = await listPage(id);
    expect(next_cursor).toBeNull();
    expect(events.map((event) => event.payload)).toEqual([...bodies].reverse());
    expect(events[0]).toEqual({
      id: expect.stringMatching(/^evt_/),
      received_at: expect.any(String),
      event: null,
      payload: { note: 'no known fields' },
    });
    expect(events[1]).toMatchObject({ event: 'page_updated', page_id: '200' });
    expect(events[2]).toMatchObject({ event: 'page_created', page_id: '100' });
    const times = events.map((event) => Date.parse(event.received_at));
    expect(times.every((time) => Math.abs(time - Date.now()) < 60_000)).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('picks the event type and the page id from the usual fields, as strings', async () => {
    const { id, secret } = await receivingIntegration();
    const cases: [Record<string, unknown>, { event: string | null; page_id?: string }][] = [
      [
        { event: 'a', page: { id: '1' } },
        { event: 'a', page_id: '1' },
      ],
      [
        { eventType: 'b', pageId: '2' },
        { event: 'b', page_id: '2' },
      ],
      [
        { webhookEvent: 'c', content: { id: 3 } },
        { event: 'c', page_id: '3' },
      ],
      [
        { type: 'd', page_id: '4' },
        { event: 'd', page_id: '4' },
      ],
      [
        { event_type: 'e', contentId: '5' },
        { event: 'e', page_id: '5' },
      ],
      [{ event: { nested: true }, page: { title: 'no id' } }, { event: null }],
    ];
    for (const [body] of cases) expect((await deliver(id, secret, body)).status).toBe(202);
    const events = (await listAll(id)).reverse();
    cases.forEach(([body, expected], index) => {
      const listed = events[index] as ListedEvent;
      expect(listed.payload).toEqual(body);
      expect(listed.event).toBe(expected.event);
      expect(listed.page_id).toBe(expected.page_id);
      if (expected.page_id === undefined) expect(listed).not.toHaveProperty('page_id');
    });
  });

  it('stores 100 concurrent distinct deliveries and lists all of them across cursor pages', async () => {
    const { id, secret } = await receivingIntegration();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        gatewayWith(
          { WEBHOOK_RATE_LIMIT_PER_MINUTE: '1000' },
          ...delivery(id, secret, { event: 'page_updated', n }),
        ),
      ),
    );
    expect(answers.map((response) => response.status)).toEqual(Array(100).fill(202));

    const pages: number[] = [];
    const events: ListedEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = await listPage(id, `?limit=30${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      pages.push(page.events.length);
      events.push(...page.events);
      cursor = page.next_cursor;
    } while (cursor);
    expect(pages).toEqual([30, 30, 30, 10]);
    expect(new Set(events.map((event) => event.id)).size).toBe(100);
    expect(events.map((event) => event.payload.n).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 100 }, (_, n) => n),
    );
    const times = events.map((event) => Date.parse(event.received_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('keeps each event for WEBHOOK_RETENTION_DAYS (7 by default), in KV and in the dedupe memory', async () => {
    const { id, secret } = await receivingIntegration();
    expect((await deliver(id, secret, { n: 'default' })).status).toBe(202);
    expect(
      (await gatewayWith({ WEBHOOK_RETENTION_DAYS: '2' }, ...delivery(id, secret, { n: 'two days' }))).status,
    ).toBe(202);
    const listed = await env.CONFLUENCE_KV.list({ prefix: kvKeys.webhookEventsPrefix(id) });
    const nowSeconds = Date.now() / 1000;
    // Newest first: the two-day event, then the default one.
    const [twoDays, sevenDays] = listed.keys.map((key) => key.expiration as number);
    expect(sevenDays).toBeGreaterThan(nowSeconds + 7 * 86_400 - 120);
    expect(sevenDays).toBeLessThan(nowSeconds + 7 * 86_400 + 120);
    expect(twoDays).toBeGreaterThan(nowSeconds + 2 * 86_400 - 120);
    expect(twoDays).toBeLessThan(nowSeconds + 2 * 86_400 + 120);

    const marks = await runInDurableObject(inboxOf(id), (_instance, state) =>
      state.storage.sql.exec<{ expires_at: number }>('SELECT expires_at FROM seen_events').toArray(),
    );
    expect(marks.map((mark) => Math.round(mark.expires_at / 1000 / 3600)).sort()).toEqual(
      [twoDays, sevenDays].map((seconds) => Math.round((seconds as number) / 3600)).sort(),
    );
  });

  it('stores a repeat again once the first copy’s retention has passed, and prunes the old mark', async () => {
    const { id, secret } = await receivingIntegration();
    expect(await (await deliver(id, secret, { n: 1 })).json()).toEqual({ accepted: true, duplicate: false });
    // Time travel for the dedupe memory: the mark now says its event expired long ago.
    await runInDurableObject(inboxOf(id), (_instance, state) => {
      state.storage.sql.exec('UPDATE seen_events SET expires_at = 1');
      state.storage.sql.exec("UPDATE inbox_settings SET value = '0' WHERE name = 'window_started_at'");
    });
    expect(await (await deliver(id, secret, { n: 1 })).json()).toEqual({ accepted: true, duplicate: false });
    const marks = await runInDurableObject(inboxOf(id), (_instance, state) =>
      state.storage.sql.exec<{ expires_at: number }>('SELECT expires_at FROM seen_events').toArray(),
    );
    expect(marks).toHaveLength(1);
    expect(marks[0]?.expires_at).toBeGreaterThan(Date.now());
  });

  it('refuses a cursor it did not issue (or issued for another integration) and a limit out of range with 400', async () => {
    const { id, secret } = await receivingIntegration();
    for (let n = 0; n < 3; n++) await deliver(id, secret, { n });
    const badLimit = await serviceApi('GET', `/api/v1/integrations/${id}/events?limit=1000`);
    expect(badLimit.status).toBe(400);
    expect(await badLimit.json()).toMatchObject({ error: { message: expect.stringMatching(/limit/) } });
    const badCursor = await serviceApi('GET', `/api/v1/integrations/${id}/events?cursor=not-a-cursor`);
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toMatchObject({ error: { message: expect.stringMatching(/cursor/) } });

    const { next_cursor } = await listPage(id, '?limit=1');
    expect(next_cursor).toEqual(expect.any(String));
    const other = await newIntegration();
    const borrowed = await serviceApi(
      'GET',
      `/api/v1/integrations/${other}/events?cursor=${encodeURIComponent(next_cursor as string)}`,
    );
    expect(borrowed.status).toBe(400);
  });

  it('answers 404 for an unknown integration and 401 without the service token', async () => {
    expect((await serviceApi('GET', `/api/v1/integrations/${newIntegrationId()}/events`)).status).toBe(404);
    const id = await newIntegration();
    expect((await gateway(`/api/v1/integrations/${id}/events`)).status).toBe(401);
  });
});

describe('DELETE /api/v1/integrations/:id', () => {
  it('removes the integration’s events and webhook secret: nothing of it is left', async () => {
    const { id, secret } = await receivingIntegration();
    for (let n = 0; n < 5; n++) expect((await deliver(id, secret, { n })).status).toBe(202);
    expect(await listKeys(env.CONFLUENCE_KV, kvKeys.webhookEventsPrefix(id))).toHaveLength(5);

    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    await finishSweep(id);

    const left = (await listKeys(env.CONFLUENCE_KV, '')).filter((key) => key.includes(id));
    expect(left).toEqual([]);
    // Should the id ever come back, the old secret and the old dedupe memory are gone with it.
    await newIntegration(id, 'Recreated');
    expect((await deliver(id, secret, { n: 0 })).status).toBe(401);
    const { secret: fresh } = await issueSecret(id);
    expect(await (await deliver(id, fresh, { n: 0 })).json()).toEqual({ accepted: true, duplicate: false });
  });

  it('of a connected integration leaves no event, secret or seen mark of it in the KV dump', async () => {
    const { id } = await connectIntegration({ preset: 'single' });
    const { secret } = await issueSecret(id);
    expect((await deliver(id, secret, { event: 'page_published', page: { id: '1' } })).status).toBe(202);
    expect(
      [...(await kvDump()).keys()].filter((key) => key.startsWith(kvKeys.webhookEventsPrefix(id))),
    ).toHaveLength(1);

    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    await finishSweep(id);

    const dump = await kvDump();
    expect([...dump.keys()].filter((key) => key.includes(id))).toEqual([]);
    expect([...dump.values()].filter((value) => value.includes(secret))).toEqual([]);
    expect((await deliver(id, secret, { event: 'page_published', page: { id: '2' } })).status).toBe(401);
    const seen = await runInDurableObject(inboxOf(id), (_instance, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(seen).toEqual([]);
  });
});
