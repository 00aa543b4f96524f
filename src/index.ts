import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { Hono } from 'hono/quick';
import { auditRoutes } from './audit/routes.ts';
import type { AppEnv } from './auth/caller.ts';
import { connectRoutes, connectSessionRoutes } from './connect/routes.ts';
import { deliverEvents } from './event-delivery/consumer.ts';
import { eventDeliveryRoutes } from './event-delivery/routes.ts';
import { healthRoutes } from './health.ts';
import { integrationRoutes } from './integrations/routes.ts';
import { ApiError, unexpectedError } from './lib/errors.ts';
import { mcpRoutes } from './mcp/routes.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { toolCallRoutes, toolCatalogRoutes } from './tools/routes.ts';
import { webhookApiRoutes, webhookReceiverRoutes } from './webhooks/routes.ts';

const app = new Hono<AppEnv>();

// Bodies are read whole before they are parsed: cap them so no request can exhaust an isolate's
// memory. Tool calls carry page bodies (Confluence takes up to 5 MB; JSON escaping adds to that).
// The webhook receiver enforces its own 64 KiB while streaming. An attachment upload may carry a
// 10 MB file as base64 (4/3 of its size), so that one tool gets 14 MiB on the REST door.
const apiBodyLimit = bodyLimit({ maxSize: 10 * 1024 * 1024, onError: tooLarge('10 MiB') });
const uploadBodyLimit = bodyLimit({ maxSize: 14 * 1024 * 1024, onError: tooLarge('14 MiB') });
app.use('/api/v1/*', (c, next) =>
  (c.req.path.endsWith('/tools/upload_confluence_attachment') ? uploadBodyLimit : apiBodyLimit)(c, next),
);
app.use('/mcp', bodyLimit({ maxSize: 10 * 1024 * 1024, onError: tooLarge('10 MiB') }));
app.use('/integrations/confluence/finalize', bodyLimit({ maxSize: 64 * 1024, onError: tooLarge('64 KiB') }));
for (const path of ['/token', '/register']) {
  app.use(path, bodyLimit({ maxSize: 64 * 1024, onError: tooLarge('64 KiB') }));
}

app.route('/healthz', healthRoutes);
app.route('/', mcpRoutes);
app.route('/integrations/confluence/webhooks', webhookReceiverRoutes);
app.route('/integrations/confluence', connectRoutes);
app.route('/api/v1/connect-sessions', connectSessionRoutes);
app.route('/api/v1/tools', toolCatalogRoutes);
app.route('/api/v1/integrations', toolCallRoutes);
app.route('/api/v1/integrations', webhookApiRoutes);
app.route('/api/v1/integrations', eventDeliveryRoutes);
app.route('/api/v1/integrations', auditRoutes);
app.route('/api/v1/integrations', integrationRoutes);
app.route('/', oauthRoutes);

app.notFound((c) =>
  c.json(
    new ApiError(
      'not_found',
      `No route ${c.req.method} ${new URL(c.req.url).pathname}. See the README for the API.`,
    ).toJSON(),
    404,
  ),
);

// The one place an exception becomes an answer. Only names and codes are logged: no request body,
// header or message that could carry a token.
app.onError((error, c) => {
  if (error instanceof ApiError) {
    const headers: Record<string, string> =
      error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
    return c.json(error.toJSON(), error.status, headers);
  }
  if (error instanceof HTTPException) {
    const apiError = new ApiError('invalid_request', error.message || 'The request could not be processed.', {
      status: error.status as ApiError['status'],
    });
    return c.json(apiError.toJSON(), apiError.status);
  }
  return c.json(unexpectedError(error, c.req.routePath).toJSON(), 500);
});

function tooLarge(limit: string) {
  return (): never => {
    throw new ApiError('payload_too_large', `The request body is over ${limit}. Send a smaller body.`);
  };
}

export default {
  fetch: app.fetch,
  // The event queue's consumer: pushes received events to integrations' event destinations.
  queue: (batch, env) => deliverEvents(batch, env),
} satisfies ExportedHandler<Env, unknown>;
export { AuditLog } from './audit/log.ts';
export { EventOutbox } from './event-delivery/outbox.ts';
export { IntegrationLifecycle } from './integrations/lifecycle.ts';
export { CallBudget } from './tools/call-budget.ts';
export { TokenRefresher } from './vault/token-refresher.ts';
export { WebhookInbox } from './webhooks/inbox.ts';
