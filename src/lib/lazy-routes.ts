import type { Env, ExecutionContext } from 'hono';
import { Hono } from 'hono/quick';

/**
 * A sub-app loaded by the first request that reaches its mount. The shell matches everything under
 * the mount and hands the request to the real routes, mounted at the same path; a request those do
 * not route falls through to the next sub-app, as it would have without the shell, so the order of
 * the mounts still decides nothing. Errors are rethrown to the app around it: its `onError` stays
 * the one place an exception becomes an answer.
 *
 * Why: an isolate evaluates the modules of what it imports at start, and every new isolate pays that
 * on its first call. The browser's connect flow, the OAuth server, the webhook receiver and the
 * service API's management routes are rare beside tool calls, so their modules (zod schemas, HTML
 * pages) wait for a request that needs them.
 */
export function lazyRoutes<E extends Env>(load: () => Promise<Hono<E>>): Hono<E> {
  const shell = new Hono<E>();
  let loaded: Hono<E> | undefined;
  let loading: Promise<Hono<E>> | undefined;
  shell.all('*', async (c, next) => {
    if (!loaded) {
      // The mount's path is what the shell's own route adds `/*` to.
      const base = c.req.routePath.replace(/\/?\*$/, '') || '/';
      loading ??= load().then((routes) => {
        const app = new Hono<E>().route(base, routes);
        app.notFound(() => unrouted());
        app.onError((error) => {
          throw error;
        });
        return app;
      });
      loaded = await loading;
    }
    const response = await loaded.fetch(c.req.raw, c.env, executionContextOf(c));
    if (UNROUTED.has(response)) return next();
    return response;
  });
  return shell;
}

/** Answers the real routes gave because none of them matched: the shell falls through on these. */
const UNROUTED = new WeakSet<Response>();

function unrouted(): Response {
  const response = new Response(null, { status: 404 });
  UNROUTED.add(response);
  return response;
}

function executionContextOf(c: { executionCtx: ExecutionContext }): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    // Hono throws when the request came without one (app.request in a test).
    return undefined;
  }
}
