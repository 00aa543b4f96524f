import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

/** POST /integrations/confluence/webhooks/:id (mounted at /integrations/confluence/webhooks). */
export const webhookReceiverRoutes = new Hono<AppEnv>();
/** webhook-secret and events routes of the service API (mounted at /api/v1/integrations). */
export const webhookApiRoutes = new Hono<AppEnv>();
