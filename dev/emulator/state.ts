import { VirtualClock } from './clock.ts';
import type { ContentStore } from './confluence/content-store.ts';
import { FaultQueue, type RequestMatch } from './faults.ts';
import { HeldRequests } from './held-requests.ts';
import { ClientRegistry, DEFAULT_CLIENT, type OAuthClient } from './oauth/clients.ts';
import { GrantStore } from './oauth/grants.ts';
import { DEFAULT_QUOTA, PointsQuota, type QuotaConfig } from './quota.ts';
import { RequestLog } from './request-log.ts';
import { buildSiteContent } from './seed/build.ts';
import { SITE_PRESETS, type Site } from './sites.ts';
import { type EmulatorStats, emptyStats } from './stats.ts';
import { CURRENT_USER } from './users.ts';

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;

/** What `reset` returns to: the defaults, adjusted by the options the emulator was started with. */
export interface Baseline {
  autoApprove: boolean;
  clients: OAuthClient[];
  sites: Site[];
  accessTokenTtlSeconds: number;
  /** The points quota's settings (quota.ts). */
  quota: QuotaConfig;
}

export interface Violation {
  at: string;
  operation: string;
  /** Method, path and query of the offending call. */
  request: string;
  direction: 'request' | 'response';
  status?: number;
  message: string;
}

export const defaultBaseline = (): Baseline => ({
  autoApprove: false,
  clients: [DEFAULT_CLIENT],
  sites: SITE_PRESETS.default,
  accessTokenTtlSeconds: DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
  quota: DEFAULT_QUOTA,
});

/** Everything the emulator remembers; `reset()` puts all of it back to the seed. */
export class EmulatorState {
  readonly baseline: Baseline;
  readonly clock = new VirtualClock();
  readonly faults = new FaultQueue();
  readonly requests = new RequestLog();
  readonly held = new HeldRequests();
  /** Atlassian's points pools (quota.ts), metered on the virtual clock. */
  readonly quota = new PointsQuota(this.clock);
  /**
   * Counts resets. A request records its epoch when it arrives; one that is still in flight (delayed
   * or held) when a test resets belongs to the test before: it then touches nothing, and the log's
   * clear below keeps it out of the log (see RequestLog).
   */
  epoch = 0;
  #fence = new AbortController();
  autoApprove!: boolean;
  /** The Atlassian account that signs in and consents (`consenting_account` in the config). */
  consentingAccountId!: string;
  sites!: Site[];
  clients!: ClientRegistry;
  grants!: GrantStore;
  stats!: EmulatorStats;
  violations: Violation[] = [];
  /** Routes answered `410 Gone` until reset (`removed_endpoints` in the config). */
  removedEndpoints: RequestMatch[] = [];
  #content = new Map<string, ContentStore>();

  constructor(baseline: Baseline) {
    this.baseline = baseline;
    this.reset();
  }

  /** Aborts when the next reset happens: what delayed and held requests wait on. */
  get resetSignal(): AbortSignal {
    return this.#fence.signal;
  }

  reset(): void {
    this.epoch++;
    this.#fence.abort();
    this.#fence = new AbortController();
    this.clock.reset();
    this.faults.clear();
    this.quota.reset(this.baseline.quota);
    this.requests.clear();
    this.violations = [];
    this.removedEndpoints = [];
    this.autoApprove = this.baseline.autoApprove;
    this.consentingAccountId = CURRENT_USER.accountId;
    this.sites = [...this.baseline.sites];
    this.clients = new ClientRegistry(this.baseline.clients);
    this.grants = new GrantStore(this.clock, this.baseline.accessTokenTtlSeconds);
    this.stats = emptyStats();
    this.#content.clear();
  }

  site(cloudId: string): Site | undefined {
    return this.sites.find((s) => s.id === cloudId);
  }

  /** A Confluence site's content, seeded on first use (so a reset costs nothing until it is read). */
  content(site: Site): ContentStore {
    let store = this.#content.get(site.id);
    if (!store) {
      store = buildSiteContent(site);
      this.#content.set(site.id, store);
    }
    return store;
  }
}
