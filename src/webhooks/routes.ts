import { Hono } from 'hono/quick';
import * as z from 'zod';
import type { AppEnv } from '../auth/caller.ts';
import { serviceAuth } from '../auth/service-auth.ts';
import { requireConfig } from '../config.ts';
import { dropCachedReads } from '../confluence/read-cache.ts';
import { outboxOf } from '../event-delivery/outbox.ts';
import { readIntegrationCached } from '../integrations/cache.ts';
import { isIntegrationId } from '../integrations/records.ts';
import { requireIntegration } from '../integrations/routes.ts';
import { ApiError } from '../lib/errors.ts';
import { parseWith } from '../lib/validation.ts';
import { randomSecret, sha256Hex } from '../vault/crypto.ts';
import { canonicalJson, parseJsonObject, readBodyWithin } from './body.ts';
import { deleteEvent, describeEvent, listEvents, storeEvent } from './events.ts';

/** The header a delivery carries its secret in. */
export const SECRET_HEADER = 'X-Webhook-Secret';
/** The optional header naming an event; repeats with the same value are stored once. */
export const EVENT_ID_HEADER = 'X-Event-Id';
const MAX_EVENT_ID_LENGTH = 256;

/** POST /integrations/confluence/webhooks/:id (mounted at /integrations/confluence/webhooks). */
export const webhookReceiverRoutes = new Hono<AppEnv>();
/** webhook-secret and events routes of the service API (mounted at /api/v1/integrations). */
export const webhookApiRoutes = new Hono<AppEnv>();

function inboxOf(env: Env, integrationId: string) {
  return env.WEBHOOK_INBOX.get(env.WEBHOOK_INBOX.idFromName(integrationId));
}

// One answer for a wrong secret, a missing one and an unknown integration: no oracle for which
// integration ids exist.
function refused(): ApiError {
  return new ApiError(
    'unauthorized',
    `Send the webhook secret in the ${SECRET_HEADER} header, to the url returned with it by POST /api/v1/integrations/:id/webhook-secret. A rotated secret stops working at once.`,
  );
}

webhookReceiverRoutes.post('/:id', async (c) => {
  const config = requireConfig(c.env, [
    'WEBHOOK_RETENTION_DAYS',
    'WEBHOOK_RATE_LIMIT_PER_MINUTE',
    'CONFLUENCE_READ_CACHE_SECONDS',
  ]);
  const integrationId = c.req.param('id');
  const secret = c.req.header(SECRET_HEADER);
  // Hashing first means the comparison in the inbox never sees the secret, only a fixed-length hash.
  const secretHash = await sha256Hex(secret ?? '');
  if (!secret || !isIntegrationId(integrationId)) throw refused();
  // An id with no integration costs a KV read (cached for active ones), never a Durable Object.
  if (!(await readIntegrationCached(c.env.CONFLUENCE_KV, integrationId))) throw refused();
  const inbox = inboxOf(c.env, integrationId);
  // The secret is checked before a byte of the body is read.
  const check = await inbox.checkSecret(secretHash);
  if (check.status === 'throttled') {
    throw new ApiError(
      'rate_limited',
      `Too many deliveries with a wrong ${SECRET_HEADER} for this integration; retry after ${check.retryAfterSeconds} s with the current secret.`,
      { retryAfterSeconds: check.retryAfterSeconds },
    );
  }
  if (check.status !== 'ok') throw refused();

  const payload = parseJsonObject(await readBodyWithin(c.req.raw));
  const dedupeKey = await dedupeKeyOf(c.req.header(EVENT_ID_HEADER), payload);
  const admission = await inbox.admit({
    secretHash,
    dedupeKey,
    capPerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
  });
  switch (admission.status) {
    case 'unauthorized':
      throw refused();
    case 'duplicate':
      return c.json({ accepted: true, duplicate: true }, 202);
    case 'rate_limited': {
      throw new ApiError(
        'rate_limited',
        `This integration received more than ${config.WEBHOOK_RATE_LIMIT_PER_MINUTE} new events in a minute; retry after ${admission.retryAfterSeconds} s, or make the automation rule fire less often.`,
        { retryAfterSeconds: admission.retryAfterSeconds },
      );
    }
  }

  const kv = c.env.CONFLUENCE_KV;
  const retentionSeconds = config.WEBHOOK_RETENTION_DAYS * 86_400;
  const event = describeEvent(admission.sortKey, admission.receivedAt, payload);
  try {
    await storeEvent(kv, integrationId, admission.sortKey, event, retentionSeconds);
  } catch (error) {
    await inbox.release(dedupeKey, admission.ticket);
    console.error(JSON.stringify({ event: 'webhook_store_failed', error: (error as Error).name }));
    throw new ApiError('internal_error', 'The event could not be stored; send it again.', {
      retryable: true,
    });
  }
  const expiresAt = admission.receivedAt + retentionSeconds * 1000;
  const kept = await inbox.commit(dedupeKey, admission.ticket, expiresAt);
  if (!kept) {
    // The integration was deleted while the event was being written: do not leave it behind.
    await deleteEvent(kv, integrationId, admission.sortKey);
    throw refused();
  }
  // The page changed in Confluence: reads of it the gateway cached are stale now.
  if (event.page_id !== undefined && config.CONFLUENCE_READ_CACHE_SECONDS > 0) {
    await dropCachedReads(integrationId, config.CONFLUENCE_READ_CACHE_SECONDS);
  }
  try {
    await outboxOf(c.env, integrationId).offer(integrationId, event, expiresAt);
  } catch (error) {
    // The event is stored and listed by GET …/events; only its push is lost. Answering an error
    // would not help: the sender's retry is a duplicate now, acknowledged without a second offer.
    console.error(JSON.stringify({ event: 'event_delivery_offer_failed', error: (error as Error).name }));
  }
  return c.json({ accepted: true, duplicate: false }, 202);
});

/** X-Event-Id when the rule sends one, else the body's canonical JSON: hashed, kept apart. */
async function dedupeKeyOf(eventIdHeader: string | undefined, payload: Record<string, unknown>) {
  const eventId = eventIdHeader?.trim();
  if (eventId) {
    if (eventId.length > MAX_EVENT_ID_LENGTH) {
      throw new ApiError(
        'invalid_request',
        `${EVENT_ID_HEADER} is longer than ${MAX_EVENT_ID_LENGTH} characters; send a shorter id such as {{page.id}}-{{page.version.number}}.`,
      );
    }
    return sha256Hex(`event-id:${eventId}`);
  }
  return sha256Hex(`body:${canonicalJson(payload)}`);
}

webhookApiRoutes.post('/:id/webhook-secret', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const secret = `whsec_${randomSecret(32)}`;
  await inboxOf(c.env, record.id).setSecret(await sha256Hex(secret));
  const url = new URL(`/integrations/confluence/webhooks/${encodeURIComponent(record.id)}`, c.req.url);
  c.header('Cache-Control', 'no-store');
  return c.json({ url: url.toString(), secret, header: SECRET_HEADER }, 201);
});

const EventsQuery = z.object({
  cursor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional().default(50),
});

webhookApiRoutes.get('/:id/events', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const query = parseWith(EventsQuery, c.req.query());
  const { events, next_cursor } = await listEvents(c.env.CONFLUENCE_KV, record.id, query);
  // Each event pushed to the event destination carries its delivery state; others carry none.
  const deliveries = await outboxOf(c.env, record.id).states(events.map((event) => event.id));
  return c.json({
    events: events.map((event) => {
      const state = deliveries[event.id];
      if (!state) return event;
      const { id: _id, event: _event, received_at: _receivedAt, ...delivery } = state;
      return { ...event, delivery };
    }),
    next_cursor,
  });
});
