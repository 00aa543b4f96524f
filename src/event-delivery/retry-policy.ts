/** How long one failed delivery waits before the next attempt, and when to give up. */
export interface RetryPolicy {
  /** The delay after the first failed attempt; each further failure doubles it, up to an hour. */
  firstRetrySeconds: number;
  /** How long after an event was queued its delivery is still retried; then it is failed. */
  windowSeconds: number;
}

const MAX_DELAY_SECONDS = 3600;

/**
 * Exponential backoff with "equal jitter": the delay after attempt n is drawn between half and all
 * of first · 2^(n-1) (at most an hour), so a destination that comes back is not hit by every
 * waiting event in the same second, and no delay collapses to nothing. Whole seconds: that is
 * what a queue's `retry({delaySeconds})` takes.
 */
export function retryDelaySeconds(failedAttempts: number, policy: RetryPolicy): number {
  const ceiling = Math.min(
    MAX_DELAY_SECONDS,
    policy.firstRetrySeconds * 2 ** Math.max(0, failedAttempts - 1),
  );
  return Math.max(1, Math.ceil(ceiling / 2 + Math.random() * (ceiling / 2)));
}
