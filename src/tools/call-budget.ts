import { DurableObject } from 'cloudflare:workers';
import { ApiError } from '../lib/errors.ts';

/**
 * The per-integration tool call budget (TOOL_CALLS_PER_MINUTE), so that one looping agent cannot
 * spend the app's whole Atlassian rate limit and fail every other tenant's calls.
 *
 * The count lives in one CallBudget object per integration, but a call does not visit it: an isolate
 * leases a slice of the current minute's budget and spends it from memory, going back to the object
 * only when its slice is used up. Warm calls thus pay no round trip and never queue behind one
 * another. The price: a slice an isolate leased and then did not use is lost for the rest of that
 * minute, so with traffic spread over many isolates some calls may be refused a little before the
 * limit is reached (never after it). Windows are fixed minutes that open with the first call.
 */
const WINDOW_MS = 60_000;
/** A slice is this share of the budget (at least 1, at most MAX_SLICE calls). */
const SLICE_SHARE = 1 / 20;
const MAX_SLICE = 100;
/** While the budget's object cannot be reached, how long a locally granted slice lasts. */
const UNAVAILABLE_RETRY_MS = 5_000;

interface Lease {
  granted: number;
  /** Epoch ms at which the window the lease belongs to closes. */
  windowEndsAt: number;
}

export class CallBudget extends DurableObject<Env> {
  private windowEndsAt = 0;
  private granted = 0;

  /** Up to `wanted` calls of the current window (0 when it is spent), and when the window ends. */
  async lease(limit: number, wanted: number): Promise<Lease> {
    const now = Date.now();
    if (now >= this.windowEndsAt) {
      // Memory is enough: an object is evicted only after idling longer than a window.
      this.windowEndsAt = now + WINDOW_MS;
      this.granted = 0;
    }
    const granted = Math.max(0, Math.min(wanted, limit - this.granted));
    this.granted += granted;
    return { granted, windowEndsAt: this.windowEndsAt };
  }
}

/** This isolate's unspent slices, per integration, and the lease requests in flight. */
const slices = new Map<string, { left: number; windowEndsAt: number }>();
const leasing = new Map<string, Promise<void>>();

/**
 * Spends one call of the integration's budget, or throws `429 rate_limited` saying how long to wait.
 * Concurrent callers that find the slice empty share one lease request.
 */
export async function spendToolCall(env: Env, integrationId: string, limit: number): Promise<void> {
  for (;;) {
    const slice = slices.get(integrationId);
    const now = Date.now();
    if (slice && slice.windowEndsAt > now) {
      if (slice.left > 0) {
        slice.left--;
        return;
      }
      // The object said the window is spent: refuse until it closes without asking again.
      if (slice.left < 0) throw rateLimited(limit, slice.windowEndsAt - now);
    }
    let request = leasing.get(integrationId);
    if (!request) {
      request = leaseSlice(env, integrationId, limit).finally(() => leasing.delete(integrationId));
      leasing.set(integrationId, request);
    }
    await request;
  }
}

async function leaseSlice(env: Env, integrationId: string, limit: number): Promise<void> {
  const wanted = Math.min(MAX_SLICE, Math.max(1, Math.floor(limit * SLICE_SHARE)));
  let lease: Lease;
  try {
    lease = await env.CALL_BUDGET.get(env.CALL_BUDGET.idFromName(integrationId)).lease(limit, wanted);
  } catch (error) {
    // The budget guards the shared rate limit; it must not become an outage of its own. Without its
    // object, this isolate allows one slice per few seconds and asks again after that.
    console.warn(JSON.stringify({ event: 'call_budget_unavailable', error: (error as Error).name }));
    lease = { granted: wanted, windowEndsAt: Date.now() + UNAVAILABLE_RETRY_MS };
  }
  // A negative count marks a window the object has no more calls for.
  slices.set(integrationId, {
    left: lease.granted > 0 ? lease.granted : -1,
    windowEndsAt: lease.windowEndsAt,
  });
}

function rateLimited(limit: number, waitMs: number): ApiError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new ApiError(
    'rate_limited',
    `This integration made more than ${limit} tool calls in a minute (TOOL_CALLS_PER_MINUTE). Retry after ${retryAfterSeconds} s; an agent looping on the same call should stop and rethink instead.`,
    { retryAfterSeconds },
  );
}
