import { ApiError } from '../lib/errors.ts';
import type { QuotaTier } from './headers.ts';
import { SMALL_CALL_POINTS } from './rules.ts';

/** Why a call may not spend points now. */
export interface QuotaRefusal {
  scope: 'integration' | 'app';
  /** When the pool's window (or Atlassian's refusal) ends, epoch ms. */
  resetsAt: number;
  tier: QuotaTier;
  /** The pool is under its reserve, open only to small calls (rather than spent). */
  reserve?: boolean;
  allowance?: number;
  /** Atlassian itself answered 429. */
  fromAtlassian?: boolean;
}

/**
 * `429 quota_exhausted`: nothing was sent to Confluence (or Atlassian refused it); the message says
 * what to do instead: a smaller limit, a narrower search, or wait until the reset.
 */
export function quotaExhausted(
  refusal: QuotaRefusal,
  need: number,
  integrationId: string,
  settings: { pointsPerIntegrationPerHour?: number },
): ApiError {
  const retryAfterSeconds = Math.max(1, Math.ceil((refusal.resetsAt - Date.now()) / 1000));
  const at = clockTime(refusal.resetsAt);
  const pool =
    refusal.tier === 'tenant' ? "this site's Atlassian points pool" : "the app's Atlassian points pool";
  let message: string;
  if (refusal.scope === 'integration') {
    message = `This integration has used its share of ${pool} for this hour (${refusal.allowance ?? '?'} points; ${settings.pointsPerIntegrationPerHour === undefined ? '10% of the pool' : 'POINTS_PER_INTEGRATION_PER_HOUR'}), and this call could cost up to ${need} points. Nothing was sent to Confluence. Ask for less (a smaller limit, a narrower search, pages you already have), or wait until ${at} UTC (${retryAfterSeconds} s). GET /api/v1/integrations/${integrationId}/quota shows the share.`;
  } else if (refusal.fromAtlassian) {
    message = `Atlassian refused the call: ${pool}, shared by every deployment and tenant of this app, is spent until ${at} UTC. Wait ${retryAfterSeconds} s, then retry; no call to Confluence can succeed before then.`;
  } else if (refusal.reserve) {
    message = `${capitalise(pool)}, shared with every other integration, is down to its last 20% until ${at} UTC; only small calls (up to ${SMALL_CALL_POINTS} points: reading one page, writing) go on, and this call could cost up to ${need} points. Nothing was sent to Confluence. Use a smaller limit (${SMALL_CALL_POINTS - 1} or fewer results), a narrower search, or wait until ${at} UTC (${retryAfterSeconds} s).`;
  } else {
    message = `${capitalise(pool)}, shared with every other integration, is spent until ${at} UTC. Nothing was sent to Confluence. Wait ${retryAfterSeconds} s, then retry.`;
  }
  return new ApiError('quota_exhausted', message, {
    retryAfterSeconds,
    details: { scope: refusal.scope },
  });
}

/** `HH:MM` (or `HH:MM:SS` when the seconds matter) in UTC. */
function clockTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(17, 19) === '00' ? iso.slice(11, 16) : iso.slice(11, 19);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
