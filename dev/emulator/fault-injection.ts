import type { MiddlewareHandler } from 'hono';
import { reasonPhrase, v1ErrorBody, v2ErrorBody } from './confluence/errors.ts';
import type { EmulatorEnv } from './env.ts';
import { type Fault, matches } from './faults.ts';
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
  410: 'GONE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** What a v1 endpoint removed from the OAuth gateway answers (RFC-19 enforcement, docs/reference/atlassian/FACTS.md). */
const GONE_MESSAGE =
  'com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated endpoint has been removed.';

/** The error body the real endpoint family would send for this status. */
function defaultBody(status: number, path: string): unknown {
  if (status === 410 && path.includes('/wiki/rest/')) return v1ErrorBody(status, GONE_MESSAGE);
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
      // Points-based limits (docs/reference/atlassian/FACTS.md): the pool is spent until the reset time.
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

const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * `{"id":"1","padding":"xxxx…"}` of exactly `size` bytes, produced chunk by chunk as the reader
 * pulls (so a 40 MB answer never sits in the emulator's memory); `stats.streamed_bytes` counts
 * what was actually handed to the connection, which shows whether a client stopped reading.
 */
function streamedJson(size: number, state: EmulatorState): ReadableStream<Uint8Array> {
  const head = '{"id":"1","padding":"';
  const tail = '"}';
  const paddingEnd = size - tail.length;
  const encoder = new TextEncoder();
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let text = sent === 0 ? head : '';
      const start = sent + text.length;
      const padding = Math.max(0, Math.min(STREAM_CHUNK_BYTES, paddingEnd - start));
      text += 'x'.repeat(padding);
      if (start + padding >= paddingEnd) text += tail;
      const chunk = encoder.encode(text);
      sent += chunk.byteLength;
      state.stats.streamed_bytes += chunk.byteLength;
      controller.enqueue(chunk);
      if (sent >= size) controller.close();
    },
  });
}

/**
 * Serves queued faults (`POST /_emulator/faults`) in place of the real answer, and `410 Gone` for
 * every route the config lists as removed (`removed_endpoints`), as Atlassian does for v1 endpoints
 * it has taken off the OAuth gateway.
 */
export function injectFaults(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    if (state.removedEndpoints.some((match) => matches(match, c.req.method, c.req.path))) {
      c.res = faultResponse({ match: {}, times: 1 }, 410, c.req.path, state.clock.now());
      return;
    }
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
    if (fault.stream_bytes) {
      c.res = new Response(streamedJson(fault.stream_bytes, state), {
        status: fault.status ?? 200,
        headers: { 'Content-Type': 'application/json' },
      });
      return;
    }
    if (fault.drop_answer) {
      await next();
      // The answer is lost on the way back: the socket closes before a byte of it is written.
      c.env.incoming?.socket.destroy();
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
