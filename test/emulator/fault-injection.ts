import type { MiddlewareHandler } from 'hono';
import { reasonPhrase, v1ErrorBody, v2ErrorBody } from './confluence/errors.ts';
import type { EmulatorEnv } from './env.ts';
import type { Fault } from './faults.ts';
import type { EmulatorState } from './state.ts';

/** Waits `ms`, or less when `signal` (the reset fence) aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

const V2_CODES: Record<number, string> = {
  400: 'INVALID_REQUEST_PARAMETER',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** The error body the real endpoint family would send for this status. */
function defaultBody(status: number, path: string): unknown {
  if (path.includes('/wiki/api/v2/'))
    return v2ErrorBody(status, V2_CODES[status] ?? 'ERROR', reasonPhrase(status));
  if (path.includes('/wiki/rest/')) return v1ErrorBody(status, reasonPhrase(status));
  if (path === '/oauth/token')
    return {
      error: status >= 500 ? 'server_error' : 'temporarily_unavailable',
      error_description: reasonPhrase(status),
    };
  return { code: status, message: reasonPhrase(status) };
}

function faultResponse(fault: Fault, status: number, path: string, now: number): Response {
  const headers = new Headers(fault.headers);
  if (status === 429 || status === 503) {
    const retryAfter = fault.retry_after_seconds ?? 1;
    // A Retry-After the fault spells out itself (even an empty one, i.e. none) is kept as given.
    const explicit = Object.keys(fault.headers ?? {}).some((name) => name.toLowerCase() === 'retry-after');
    if (!explicit) headers.set('Retry-After', String(retryAfter));
    else if (!headers.get('retry-after')) headers.delete('Retry-After');
    if (status === 429) {
      // Points-based limits (FACTS.md): the pool is spent until the reset time.
      headers.set('X-RateLimit-Limit', '65000');
      headers.set('X-RateLimit-Remaining', '0');
      headers.set('X-RateLimit-Reset', new Date(now + retryAfter * 1000).toISOString());
      headers.set('X-RateLimit-NearLimit', 'true');
    }
  }
  if (fault.text !== undefined) {
    headers.set('Content-Type', 'text/plain;charset=UTF-8');
    return new Response(fault.text, { status, headers });
  }
  headers.set('Content-Type', 'application/json');
  return new Response(JSON.stringify(fault.body ?? defaultBody(status, path)), { status, headers });
}

/** Serves queued faults (`POST /_emulator/faults`) in place of the real answer. */
export function injectFaults(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const fault = state.faults.take(c.req.method, c.req.path);
    if (!fault) return next();
    state.stats.faults_injected++;
    const { epoch, resetSignal } = state;
    if (fault.delay_ms) await sleep(fault.delay_ms, resetSignal);
    if (fault.hold) await state.held.hold({ method: c.req.method, path: c.req.path }, resetSignal);
    if (state.epoch !== epoch) {
      // Reset while it waited: it belongs to an earlier test and must not touch this one's world.
      c.res = new Response(JSON.stringify({ code: 503, message: 'The emulator was reset' }), {
        status: 503,
        headers: { 'Content-Type': 'application/json' },
      });
      return;
    }
    if (fault.status) {
      c.res = faultResponse(fault, fault.status, c.req.path, state.clock.now());
      return;
    }
    await next();
    if (fault.malformed_json) {
      const text = await c.res.text();
      const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      c.res = new Response(cut.startsWith('{') || cut.startsWith('[') ? cut : `{"${cut}`, {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      });
    }
  };
}
