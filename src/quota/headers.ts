/**
 * Atlassian's rate-limit headers (shared/atlassian/FACTS.md, "Rate limits"), read the same with or
 * without the `Beta-` prefix they carried before enforcement:
 *
 *   RateLimit-Policy: "global-app-quota";q=65000;w=3600     the pool's size and window (seconds)
 *   RateLimit: "global-app-quota";r=11000;t=600              remaining (only under ~20%), seconds to reset
 *   RateLimit-Reason: confluence-quota-global-based           on a 429 of a spent pool (-tenant-based: Tier 2)
 *
 * Each header is a comma-separated list of `"policy";key=value;…` entries in any order; only the
 * points quota's entries (global-app-quota, tenant-app-quota) are read. Pure: no I/O.
 */

export type QuotaTier = 'global' | 'tenant';

/** What one answer said about its pool: any of the fields may be missing. */
export interface QuotaReading {
  tier: QuotaTier;
  /** The pool's size (q) and window in seconds (w), from RateLimit-Policy. */
  size?: number;
  windowSeconds?: number;
  /** Points left (r) and seconds to the reset (t), from RateLimit. */
  remaining?: number;
  resetSeconds?: number;
}

const POLICIES: Record<string, QuotaTier> = { 'global-app-quota': 'global', 'tenant-app-quota': 'tenant' };

/** The quota entries of one header: policy name → its numeric parameters. */
function entries(value: string | null): Map<QuotaTier, Record<string, number>> {
  const found = new Map<QuotaTier, Record<string, number>>();
  if (!value) return found;
  for (const entry of value.split(',')) {
    const [name = '', ...params] = entry.split(';');
    const tier = POLICIES[name.trim().replace(/^"|"$/g, '')];
    if (!tier) continue;
    const numbers: Record<string, number> = {};
    for (const param of params) {
      const [key = '', raw = ''] = param.split('=');
      const number = Number(raw.trim());
      if (raw.trim() !== '' && Number.isFinite(number) && number >= 0) numbers[key.trim()] = number;
    }
    found.set(tier, numbers);
  }
  return found;
}

function header(headers: Headers, name: string): string | null {
  return headers.get(name) ?? headers.get(`beta-${name}`);
}

/** The quota the answer reports, or undefined when it carries none of these headers. */
export function readQuotaHeaders(headers: Headers): QuotaReading | undefined {
  const policy = entries(header(headers, 'ratelimit-policy'));
  const state = entries(header(headers, 'ratelimit'));
  const tier = policy.keys().next().value ?? state.keys().next().value;
  if (!tier) return undefined;
  const p = policy.get(tier) ?? {};
  const s = state.get(tier) ?? {};
  const reading: QuotaReading = { tier };
  if (p.q !== undefined && p.q > 0) reading.size = p.q;
  if (p.w !== undefined && p.w > 0) reading.windowSeconds = p.w;
  if (s.r !== undefined) reading.remaining = s.r;
  if (s.t !== undefined) reading.resetSeconds = s.t;
  return reading;
}

/** A 429 because the points pool is spent (not a burst limit): which tier's pool, else undefined. */
export function quotaRefusal(status: number, headers: Headers): QuotaTier | undefined {
  if (status !== 429) return undefined;
  const reason = headers.get('ratelimit-reason') ?? '';
  if (/confluence-quota-global/i.test(reason)) return 'global';
  if (/confluence-quota-tenant/i.test(reason)) return 'tenant';
  const reading = readQuotaHeaders(headers);
  return reading?.remaining === 0 ? reading.tier : undefined;
}
