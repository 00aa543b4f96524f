import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';

/** GET /api/v1/tools (mounted at /api/v1/tools). */
export const toolCatalogRoutes = new Hono<AppEnv>();
/** POST /api/v1/integrations/:id/tools/:tool_name (mounted at /api/v1/integrations). */
export const toolCallRoutes = new Hono<AppEnv>();
