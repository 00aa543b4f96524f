import { Hono } from 'hono/quick';
import type { AppEnv } from '../auth/caller.ts';
import { integrationAuth } from '../auth/integration-auth.ts';
import { serviceAuth } from '../auth/service-auth.ts';
import { requireIntegration } from '../integrations/routes.ts';
import { ledgerOf, type QuotaSettings, reportPendingUsage } from './meter.ts';
import { APP_POOL } from './rules.ts';
import { quotaSettings } from './settings.ts';

/**
 * Mounted at /api/v1: GET /quota, the app's points pool and who spent it (service token), and GET
 * /integrations/:id/quota, one integration's share (the service token or its agent token).
 */
export const quotaRoutes = new Hono<AppEnv>();

type PoolDescription = Awaited<ReturnType<ReturnType<typeof ledgerOf>['describe']>>;

/** The pools to show: the app's, or on Tier 2 each site's (the app's object lists them). */
async function describePools(env: Env, settings: QuotaSettings) {
  await reportPendingUsage(env, settings);
  const app = await ledgerOf(env, settings.app, APP_POOL).describe(settings);
  if (app.tier !== 'tenant') return { tier: 'global' as const, pools: [{ cloudId: null, pool: app }] };
  const sites = await Promise.all(
    app.sites.map(async (cloudId) => ({
      cloudId,
      pool: await ledgerOf(env, settings.app, `site:${cloudId}`).describe(settings),
    })),
  );
  return { tier: 'tenant' as const, pools: sites };
}

function poolFields(pool: PoolDescription) {
  return {
    limit: pool.size,
    spent: Math.round(pool.used),
    remaining: Math.max(0, Math.round(pool.size - pool.used)),
    resets_at: new Date(pool.resetsAt).toISOString(),
    source: pool.source,
  };
}

quotaRoutes.get('/quota', serviceAuth, async (c) => {
  const settings = quotaSettings(c.env);
  const { tier, pools } = await describePools(c.env, settings);
  const spenders = new Map<string, { id: string; name: string; spent: number }>();
  for (const { pool } of pools) {
    for (const entry of pool.integrations) {
      const known = spenders.get(entry.id) ?? { id: entry.id, name: entry.name, spent: 0 };
      known.spent += entry.spent;
      if (entry.name) known.name = entry.name;
      spenders.set(entry.id, known);
    }
  }
  const integrations = [...spenders.values()].sort((a, b) => b.spent - a.spent || a.id.localeCompare(b.id));
  const fields = pools.map(({ pool }) => poolFields(pool));
  const total = (name: 'limit' | 'spent' | 'remaining') => fields.reduce((sum, pool) => sum + pool[name], 0);
  return c.json({
    limit: total('limit'),
    spent: total('spent'),
    remaining: total('remaining'),
    resets_at: fields.map((pool) => pool.resets_at).sort()[0] ?? null,
    source: fields.some((pool) => pool.source === 'atlassian') ? 'atlassian' : 'counted',
    tier,
    integrations,
    saved_by_cache: pools.reduce((sum, { pool }) => sum + pool.saved, 0),
    allowance_per_integration: pools[0]?.pool.allowance ?? null,
    ...(tier === 'tenant' && {
      sites: pools.map(({ cloudId, pool }) => ({ cloud_id: cloudId, ...poolFields(pool) })),
    }),
  });
});

quotaRoutes.get('/integrations/:id/quota', integrationAuth, async (c) => {
  const record = await requireIntegration(c.env, c.req.param('id'));
  const settings = quotaSettings(c.env);
  const { tier, pools } = await describePools(c.env, settings);
  const found = pools.find(({ cloudId }) => cloudId === null || cloudId === record.site.cloud_id);
  const pool =
    found?.pool ?? (await ledgerOf(c.env, settings.app, `site:${record.site.cloud_id}`).describe(settings));
  const spent = pool.integrations.find((entry) => entry.id === record.id)?.spent ?? 0;
  return c.json({
    spent: Math.round(spent),
    allowance: pool.allowance,
    remaining: Math.max(0, Math.round(pool.allowance - spent)),
    resets_at: new Date(pool.resetsAt).toISOString(),
    pool: { tier, ...(tier === 'tenant' && { cloud_id: record.site.cloud_id }), ...poolFields(pool) },
  });
});
