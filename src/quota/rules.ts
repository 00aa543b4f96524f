/** The governor's fixed rules, shared by the ledger (the pool's side) and the meter (an isolate's). */

/** The share of the pool kept for small calls: Atlassian's near-limit line. */
export const RESERVE_SHARE = 0.2;
/** The largest call (in predicted points) that may still spend the reserve. */
export const SMALL_CALL_POINTS = 10;
/** An integration's default allowance: this share of the pool. */
export const DEFAULT_INTEGRATION_SHARE = 0.1;
/** The name of the app's pool (Tier 1); a site's is `site:<cloud id>`. */
export const APP_POOL = 'app';
