import type { Hono as HonoApp } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { Hono } from 'hono/quick';
import type { AppEnv } from './auth/caller.ts';
import { healthRoutes } from './health.ts';
import { ApiError, unexpectedError } from './lib/errors.ts';
import { lazyRoutes } from './lib/lazy-routes.ts';
import { mcpRoutes } from './mcp/routes.ts';
import { toolCallRoutes, toolCatalogRoutes } from './tools/routes.ts';

/** A sub-app and the path it is mounted at. */
export type Mount = readonly [path: string, routes: HonoApp<AppEnv>];

// Loaded by the first request that reaches them (lib/lazy-routes.ts says why): the browser's connect
// flow, the OAuth server for MCP clients, the webhook routes, and the service API's integration,
// event-delivery, audit and quota routes. Tool calls never need them: mounted after the tool routes,
// their shells are never reached by a tool call.
const connect = () => import('./connect/routes.ts');
const webhooks = () => import('./webhooks/routes.ts');
const connectRoutes = lazyRoutes(async () => (await connect()).connectRoutes);
const connectSessionRoutes = lazyRoutes(async () => (await connect()).connectSessionRoutes);
const webhookReceiverRoutes = lazyRoutes(async () => (await webhooks()).webhookReceiverRoutes);
const webhookApiRoutes = lazyRoutes(async () => (await webhooks()).webhookApiRoutes);
const oauthRoutes = lazyRoutes(async () => (await import('./oauth/routes.ts')).oauthRoutes);
const integrationRoutes = lazyRoutes(
  async () => (await import('./integrations/routes.ts')).integrationRoutes,
);
const eventDeliveryRoutes = lazyRoutes(
  async () => (await import('./event-delivery/routes.ts')).eventDeliveryRoutes,
);
const auditRoutes = lazyRoutes(async () => (await import('./audit/routes.ts')).auditRoutes);
const quotaRoutes = lazyRoutes(async () => (await import('./quota/routes.ts')).quotaRoutes);

/**
 * Every sub-app and where it is mounted. Each one authenticates its own routes by name (no `use()`
 * over a whole sub-app), so the order below decides no answer: five share `/api/v1/integrations`, and
 * test/gateway/mount-order.test.ts mounts them in every order. It decides what loads: a lazy shell
 * matches everything under its mount, so the ones sharing a prefix with the tool routes come after
 * them, and a tool call, answered first, loads none of them.
 */
export const MOUNTS: readonly Mount[] = [
  ['/healthz', healthRoutes],
  ['/', mcpRoutes],
  ['/integrations/confluence/webhooks', webhookReceiverRoutes],
  ['/integrations/confluence', connectRoutes],
  ['/api/v1/connect-sessions', connectSessionRoutes],
  ['/api/v1/tools', toolCatalogRoutes],
  ['/api/v1/integrations', toolCallRoutes],
  ['/api/v1/integrations', webhookApiRoutes],
  ['/api/v1/integrations', eventDeliveryRoutes],
  ['/api/v1/integrations', auditRoutes],
  ['/api/v1', quotaRoutes],
  ['/api/v1/integrations', integrationRoutes],
  ['/', oauthRoutes],
];

/** The gateway's Hono app: body limits, the sub-apps, and the one place an error becomes an answer. */
export function createApp(mounts: readonly Mount[] = MOUNTS): Hono<AppEnv> {
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
  app.use(
    '/integrations/confluence/finalize',
    bodyLimit({ maxSize: 64 * 1024, onError: tooLarge('64 KiB') }),
  );
  for (const path of ['/token', '/register']) {
    app.use(path, bodyLimit({ maxSize: 64 * 1024, onError: tooLarge('64 KiB') }));
  }

  for (const [path, routes] of mounts) app.route(path, routes);

  app.notFound((c) =>
    c.json(
      new ApiError(
        'not_found',
        `No route ${c.req.method} ${new URL(c.req.url).pathname}. See docs/api.md for the API.`,
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
      const apiError = new ApiError(
        'invalid_request',
        error.message || 'The request could not be processed.',
        {
          status: error.status as ApiError['status'],
        },
      );
      return c.json(apiError.toJSON(), apiError.status);
    }
    return c.json(unexpectedError(error, c.req.routePath).toJSON(), 500);
  });

  return app;
}

function tooLarge(limit: string) {
  return (): never => {
    throw new ApiError('payload_too_large', `The request body is over ${limit}. Send a smaller body.`);
  };
}

/** The gateway, its sub-apps in their usual order. */
export const app = createApp();
