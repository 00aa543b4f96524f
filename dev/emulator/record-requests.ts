import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from './env.ts';
import { describeBody, queryRecord, redactAuthorization } from './request-log.ts';
import type { EmulatorState } from './state.ts';

/**
 * Reads the body once (later handlers take it from `rawBody`) and, for every route but the
 * control plane, records the request and the status it got, plus one log line when asked. The
 * request is numbered when it arrives, so that the log can leave out one that arrived before a
 * clear or reset and ends after it (see RequestLog).
 */
export function recordRequests(state: EmulatorState, printLog: boolean): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const started = performance.now();
    const control = c.req.path.startsWith('/_emulator');
    const seq = control ? 0 : state.requests.arrive();
    const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    const bytes = hasBody ? new Uint8Array(await c.req.arrayBuffer()) : new Uint8Array();
    c.set('rawBytes', bytes);
    c.set('rawBody', new TextDecoder().decode(bytes));
    await next();
    if (control) return;
    const url = new URL(c.req.url);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = name === 'authorization' ? redactAuthorization(value) : value;
    });
    const duration = Math.round((performance.now() - started) * 100) / 100;
    state.requests.record({
      seq,
      at: state.clock.nowIso(),
      method: c.req.method,
      path: c.req.path,
      query: queryRecord(url),
      headers,
      body: describeBody(c.get('rawBody'), c.req.header('content-type')),
      status: c.res.status,
      duration_ms: duration,
    });
    if (printLog)
      console.log(`[emulator] ${c.req.method} ${c.req.path}${url.search} → ${c.res.status} (${duration} ms)`);
  };
}
