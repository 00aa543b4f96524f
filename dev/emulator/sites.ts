/** Atlassian sites (cloud ids) the emulated user can grant, as accessible-resources lists them. */
export interface Site {
  id: string;
  name: string;
  url: string;
  product: 'confluence' | 'jira';
  /** Scopes reported for a non-Confluence site; a Confluence site reports the scopes granted. */
  scopes?: string[];
  avatarUrl: string;
}

export const CLOUD_IDS = {
  acme: 'a3c1e5d2-7b4f-4e8a-9c6d-1f2e3a4b5c6d',
  globex: 'b7d2f4e6-1a3c-4b5d-8e9f-2a4c6e8f0b1d',
  initech: 'c9e8d7c6-5b4a-4f3e-9d2c-1b0a9f8e7d6c',
} as const;

const avatar = (id: string) => `https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/${id}.png`;

export const ACME: Site = {
  id: CLOUD_IDS.acme,
  name: 'acme',
  url: 'https://acme.atlassian.net',
  product: 'confluence',
  avatarUrl: avatar('rocket'),
};

export const GLOBEX: Site = {
  id: CLOUD_IDS.globex,
  name: 'globex',
  url: 'https://globex.atlassian.net',
  product: 'confluence',
  avatarUrl: avatar('globe'),
};

/** A Jira-only site: it shows up in accessible-resources, so the gateway has to filter it out. */
export const INITECH_JIRA: Site = {
  id: CLOUD_IDS.initech,
  name: 'initech',
  url: 'https://initech.atlassian.net',
  product: 'jira',
  scopes: ['read:jira-work', 'write:jira-work', 'read:jira-user'],
  avatarUrl: avatar('lightbulb'),
};

export const SITE_PRESETS = {
  /** Two Confluence sites and one Jira site: the gateway must show a picker. */
  default: [ACME, GLOBEX, INITECH_JIRA],
  /** Exactly one Confluence site (plus the Jira one): the gateway can finish at once. */
  single: [ACME, INITECH_JIRA],
  /** No Confluence site at all. */
  jira_only: [INITECH_JIRA],
} satisfies Record<string, Site[]>;

export type SitePreset = keyof typeof SITE_PRESETS;

export function isSitePreset(name: unknown): name is SitePreset {
  return typeof name === 'string' && Object.hasOwn(SITE_PRESETS, name);
}

/** Reads a site given over the control API, filling what a test may leave out. */
export function parseSite(input: unknown): Site {
  const raw = (input ?? {}) as Partial<Site>;
  if (typeof raw.id !== 'string' || typeof raw.name !== 'string') {
    throw new Error('a site needs at least "id" and "name"');
  }
  return {
    id: raw.id,
    name: raw.name,
    url: typeof raw.url === 'string' ? raw.url : `https://${raw.name}.atlassian.net`,
    product: raw.product === 'jira' ? 'jira' : 'confluence',
    scopes: Array.isArray(raw.scopes) ? raw.scopes.map(String) : undefined,
    avatarUrl: typeof raw.avatarUrl === 'string' ? raw.avatarUrl : avatar('default'),
  };
}
