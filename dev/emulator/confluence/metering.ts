import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { EmulatorState } from '../state.ts';

/**
 * Meters an authorised Confluence call against its points pool (quota.ts): refused with Atlassian's
 * 429 once the pool is spent, else run, charged by what it returned, and answered with the pool's
 * rate-limit headers.
 */
export function meterPoints(state: EmulatorState, operation: string): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const pool = state.quota.poolName(c.get('family').clientId, c.get('site').id);
    const admission = state.quota.admit(pool);
    if ('refused' in admission) {
      state.stats.quota_429s++;
      c.res = admission.refused;
      return;
    }
    await next();
    const { epoch } = state;
    const body = await jsonOf(c.res);
    if (state.epoch !== epoch) return;
    const headers = state.quota.charge(pool, operation, c.req.method, c.res.status, body);
    for (const [name, value] of headers) c.res.headers.set(name, value);
  };
}

/** The answer's JSON, read from a copy; undefined for other bodies (a redirect, bytes). */
async function jsonOf(response: Response): Promise<unknown> {
  if (!response.headers.get('content-type')?.includes('json')) return undefined;
  try {
    return await response.clone().json();
  } catch {
    return undefined;
  }
}
