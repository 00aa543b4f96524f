import { Hono } from 'hono/quick';
import * as z from 'zod';
import type { AppEnv } from '../auth/caller.ts';
import { serviceAuth } from '../auth/service-auth.ts';
import { requireConfig } from '../config.ts';
import { requireIntegration } from '../integrations/routes.ts';
import { parseWith } from '../lib/validation.ts';

const AuditListQuery = z.object({
  cursor: z
    .string()
    .regex(
      /^[1-9]\d{0,15}$/,
      'pass next_cursor from the previous answer unchanged, or omit it to start from the newest',
    )
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  tool: z.string().min(1).max(100).optional(),
  since: z.iso
    .datetime({ offset: true, message: 'expected an ISO 8601 time, e.g. 2026-11-30T00:00:00Z' })
    .optional(),
});

/** GET /api/v1/integrations/:id/audit (mounted at /api/v1/integrations): the service API's view of the log. */
export const auditRoutes = new Hono<AppEnv>();

auditRoutes.get('/:id/audit', serviceAuth, async (c) => {
  const query = parseWith(AuditListQuery, c.req.query());
  const record = await requireIntegration(c.env, c.req.param('id'));
  const { AUDIT_RETENTION_DAYS } = requireConfig(c.env, ['AUDIT_RETENTION_DAYS']);
  const log = c.env.AUDIT_LOG.get(c.env.AUDIT_LOG.idFromName(record.id));
  const { entries, more } = await log.list(
    {
      limit: query.limit,
      ...(query.cursor && { before: Number(query.cursor) }),
      ...(query.tool && { tool: query.tool }),
      ...(query.since && { since: Date.parse(query.since) }),
    },
    AUDIT_RETENTION_DAYS,
  );
  return c.json({ entries, next_cursor: more ? (entries.at(-1)?.id ?? null) : null });
});
