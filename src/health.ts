import { Hono } from 'hono/quick';
import type { AppEnv } from './auth/caller.ts';
import { parseConfig } from './config.ts';

/** `GET /healthz`: 200 when every setting is present and well-formed, else 503 naming them (never values). */
export const healthRoutes = new Hono<AppEnv>().get('/', (c) => {
  const { problems } = parseConfig(c.env);
  const missing = problems.filter((p) => p.problem === 'missing').map((p) => p.setting);
  const malformed = problems.filter((p) => p.problem === 'malformed').map((p) => p.setting);
  if (problems.length === 0) return c.json({ ok: true, service: 'confluence-agent-gateway' });
  return c.json({ ok: false, missing, malformed }, 503);
});
