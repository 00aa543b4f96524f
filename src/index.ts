import { Hono } from 'hono';
import { DurableObject } from 'cloudflare:workers';

const app = new Hono<{ Bindings: Env }>();
app.get('/healthz', async (c) => {
  const r = await fetch(`${c.env.ATLASSIAN_API_BASE_URL}/ping`);
  return c.json({ ok: true, upstream: await r.json() });
});
export default app;
export class TokenRefresher extends DurableObject {}
export class WebhookInbox extends DurableObject {}
