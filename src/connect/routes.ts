import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

/** Browser routes of the OAuth connect flow (mounted at /integrations/confluence). */
export const connectRoutes = new Hono<AppEnv>();
/** POST /api/v1/connect-sessions (mounted at /api/v1/connect-sessions). */
export const connectSessionRoutes = new Hono<AppEnv>();
