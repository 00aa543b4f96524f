import { Hono } from 'hono/quick';
import * as z from 'zod';
import type { AppEnv } from '../auth/caller.ts';
import { serviceAuth } from '../auth/service-auth.ts';
import { requireConfig } from '../config.ts';
import { requireIntegration } from '../integrations/routes.ts';
import { ApiError } from '../lib/errors.ts';
import { parseWith, readJsonObject } from '../lib/validation.ts';
import { seal } from '../vault/crypto.ts';
import { outboxOf, secretContext } from './outbox.ts';
import { newSigningSecret } from './signing.ts';

/** event-destination and event-deliveries routes of the service API (mounted at /api/v1/integrations). */
export const eventDeliveryRoutes = new Hono<AppEnv>();

const DestinationBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an absolute https:// URL' }).max(2048),
  events: z
    .array(z.string().trim().min(1).max(200))
    .min(1, 'list at least one event name, or leave events out to receive every event')
    .max(100)
    .optional(),
});

eventDeliveryRoutes.put('/:id/event-destination', serviceAuth, async (c) => {
  const config = requireConfig(c.env, ['TOKEN_ENCRYPTION_KEYS', 'EVENT_DESTINATIONS_ALLOW_HTTP']);
  const record = await requireIntegration(c.env, c.req.param('id'));
  const body = parseWith(DestinationBody, await readJsonObject(c));
  const url = new URL(body.url);
  if (url.protocol !== 'https:' && !config.EVENT_DESTINATIONS_ALLOW_HTTP) {
    throw new ApiError(
      'invalid_request',
      'url must use https:// (events carry page data and are signed, not encrypted). http:// is accepted only when EVENT_DESTINATIONS_ALLOW_HTTP is true, as in the sandbox.',
    );
  }
  if (url.username || url.password) {
    throw new ApiError(
      'invalid_request',
      'url must not carry a user name or password: deliveries are authenticated by their signature. Send the URL without them.',
    );
  }
  const secret = newSigningSecret();
  const sealed = await seal(config.TOKEN_ENCRYPTION_KEYS, secretContext(record.id), secret);
  const events = body.events ? [...new Set(body.events)] : null;
  const { created, destination } = await outboxOf(c.env, record.id).setDestination(url.href, events, sealed);
  c.header('Cache-Control', 'no-store');
  return c.json({ ...destination, secret }, created ? 201 : 200);
});

eventDeliveryRoutes.get('/:id/event-destination', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const destination = await outboxOf(c.env, record.id).getDestination();
  if (!destination) throw noDestination(record.id);
  return c.json(destination);
});

eventDeliveryRoutes.delete('/:id/event-destination', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  if (!(await outboxOf(c.env, record.id).removeDestination())) throw noDestination(record.id);
  return c.body(null, 204);
});

const DeliveriesQuery = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  cursor: z
    .string()
    .regex(/^evt_[0-9a-f-]{1,64}$/, 'expected next_cursor from the previous answer, unchanged')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional().default(50),
});

eventDeliveryRoutes.get('/:id/event-deliveries', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const query = parseWith(DeliveriesQuery, c.req.query());
  const { deliveries, last } = await outboxOf(c.env, record.id).list({
    status: query.status,
    after: query.cursor,
    limit: query.limit,
  });
  return c.json({ deliveries, next_cursor: last });
});

eventDeliveryRoutes.post('/:id/event-deliveries/:event_id/retry', serviceAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const eventId = c.req.param('event_id');
  switch (await outboxOf(c.env, record.id).retry(record.id, eventId)) {
    case 'queued':
      return c.json({ id: eventId, status: 'pending' }, 202);
    case 'not_found':
      throw new ApiError(
        'not_found',
        `Integration ${record.id} has no delivery ${eventId}. List failed ones with GET /api/v1/integrations/${record.id}/event-deliveries?status=failed.`,
      );
    case 'not_failed':
      throw new ApiError(
        'conflict',
        `Delivery ${eventId} is pending or delivered; only a failed delivery can be retried.`,
      );
    case 'no_destination':
      throw noDestination(record.id);
    case 'enqueue_failed':
      throw new ApiError('internal_error', 'The event could not be queued; retry shortly.', {
        retryable: true,
      });
  }
});

function noDestination(integrationId: string): ApiError {
  return new ApiError(
    'not_found',
    `Integration ${integrationId} has no event destination. Set one with PUT /api/v1/integrations/${integrationId}/event-destination {"url": "https://…"}.`,
  );
}
