import { Hono } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { parseFault } from '../faults.ts';
import { parseClient } from '../oauth/clients.ts';
import { applyQuotaConfig } from '../quota.ts';
import { SEED } from '../seed.ts';
import type { EmulatorState } from '../state.ts';
import { controlBody } from './body.ts';
import { applyConfig, describeConfig } from './config.ts';
import { contentControlRoutes } from './content.ts';

/** Everything under `/_emulator`: JSON in and out, so tests inside workerd can drive it with fetch. */
export function controlRoutes(state: EmulatorState) {
  const app = new Hono<EmulatorEnv>();
  app.onError((error, c) => c.json({ error: error.message }, 400));

  app.post('/reset', (c) => {
    state.reset();
    return c.json({ ok: true });
  });

  app.get('/config', (c) => c.json(describeConfig(state)));
  app.post('/config', (c) => {
    applyConfig(state, controlBody(c));
    return c.json(describeConfig(state));
  });

  app.get('/clients', (c) => c.json({ clients: describeConfig(state).clients }));
  app.post('/clients', (c) => {
    const client = parseClient(controlBody(c));
    state.clients.register(client);
    return c.json({ client_id: client.client_id }, 201);
  });

  app.get('/clock', (c) => c.json({ now: state.clock.nowIso(), offset_seconds: state.clock.offsetSeconds }));
  app.post('/clock', (c) => {
    const seconds = controlBody(c).advance_seconds;
    if (typeof seconds !== 'number' || seconds < 0) throw new Error('"advance_seconds" must be a number ≥ 0');
    state.clock.advance(seconds);
    return c.json({ now: state.clock.nowIso(), offset_seconds: state.clock.offsetSeconds });
  });

  app.post('/tokens/expire', (c) => {
    const token = controlBody(c).access_token;
    return c.json({
      expired: state.grants.expireAccessTokens(typeof token === 'string' ? token : undefined),
    });
  });
  app.post('/tokens/revoke', (c) => {
    const body = controlBody(c);
    const token = body.refresh_token ?? body.access_token;
    if (token === undefined) return c.json({ revoked: state.grants.revokeAll() });
    if (typeof token !== 'string' || !state.grants.revokeByToken(token)) {
      return c.json({ error: 'unknown token' }, 404);
    }
    return c.json({ revoked: 1 });
  });
  app.get('/tokens', (c) => c.json(state.grants.summary()));
  app.get('/quota', (c) => c.json(describeQuota(state)));
  app.post('/quota', (c) => {
    applyQuotaConfig(state.quota, controlBody(c));
    return c.json(describeQuota(state));
  });
  // Every pool back to full, the settings kept: a test's own calls then start from an untouched pool.
  app.delete('/quota/pools', (c) => {
    state.quota.clearPools();
    return c.json(describeQuota(state));
  });
  // Points spent by someone else: another deployment of the same app, or (Tier 2) of the same site.
  app.post('/quota/spend', (c) => {
    const body = controlBody(c);
    const points = body.points;
    if (typeof points !== 'number' || !Number.isInteger(points) || points < 1) {
      throw new Error('"points" must be a positive integer');
    }
    const clientId =
      typeof body.client_id === 'string' ? body.client_id : state.baseline.clients[0]?.client_id;
    const cloudId = typeof body.cloud_id === 'string' ? body.cloud_id : state.sites[0]?.id;
    if (!clientId || !cloudId) throw new Error('name the pool with "client_id" and "cloud_id"');
    const pool = state.quota.poolName(clientId, cloudId);
    state.quota.spend(pool, points);
    return c.json(state.quota.view(pool));
  });
  app.get('/tokens/issued', (c) => c.json({ values: state.grants.issuedValues() }));

  app.get('/stats', (c) => c.json({ ...state.stats, grants: state.grants.summary() }));
  app.get('/seed', (c) => c.json(SEED));

  app.get('/requests', (c) => {
    const since = c.req.query('since');
    if (since !== undefined && !/^\d+$/.test(since)) {
      throw new Error('"since" must be a whole number ≥ 0: the "seq" a previous answer gave');
    }
    const requests = state.requests.list({
      pathPrefix: c.req.query('path_prefix'),
      since: since === undefined ? undefined : Number(since),
    });
    return c.json({ requests, seq: state.requests.mark });
  });
  app.delete('/requests', (c) => {
    state.requests.clear();
    return c.json({ ok: true, seq: state.requests.mark });
  });

  app.get('/faults', (c) => c.json({ faults: state.faults.list() }));
  app.post('/faults', (c) => {
    state.faults.add(parseFault(controlBody(c)));
    return c.json({ faults: state.faults.list() }, 201);
  });
  app.delete('/faults', (c) => {
    state.faults.clear();
    return c.json({ ok: true });
  });

  app.get('/held', async (c) => {
    const waitMs = Math.min(Number(c.req.query('wait_ms') ?? 0) || 0, 30_000);
    return c.json({ held: await state.held.waitForOne(waitMs) });
  });
  app.post('/held/release', (c) => c.json({ released: state.held.release() }));

  app.get('/violations', (c) => c.json({ violations: state.violations }));
  app.delete('/violations', (c) => {
    state.violations = [];
    return c.json({ ok: true });
  });

  app.route('/', contentControlRoutes(state));
  return app;
}

function describeQuota(state: EmulatorState) {
  return { config: state.quota.config, pools: state.quota.pools(), quota_429s: state.stats.quota_429s };
}
