import * as z from 'zod';
import { fromBase64Url } from './lib/base64.ts';
import { ApiError } from './lib/errors.ts';

/** The scopes asked for when CONFLUENCE_OAUTH_SCOPE is not set (docs/reference/atlassian/FACTS.md). */
export const DEFAULT_SCOPES = [
  'write:confluence-content',
  'read:confluence-space.summary',
  'write:confluence-space',
  'write:confluence-file',
  'read:confluence-props',
  'write:confluence-props',
  'read:confluence-content.all',
  'read:confluence-content.summary',
  'search:confluence',
  'read:confluence-content.permission',
  'read:confluence-user',
  'read:confluence-groups',
  'readonly:content.attachment:confluence',
  'read:space:confluence',
  'read:page:confluence',
  'write:page:confluence',
  'write:comment:confluence',
  'read:content-details:confluence',
  'read:comment:confluence',
  'read:attachment:confluence',
  'read:hierarchical-content:confluence',
  'read:content.metadata:confluence',
  'delete:page:confluence',
  'read:user:confluence',
  'read:folder:confluence',
  'read:whiteboard:confluence',
  'read:database:confluence',
  'read:embed:confluence',
  'read:task:confluence',
  'write:task:confluence',
  'write:folder:confluence',
  'write:whiteboard:confluence',
  'delete:whiteboard:confluence',
  'write:database:confluence',
  'delete:database:confluence',
  'offline_access',
];

const httpUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));

/** `kid:base64(32 bytes)[,kid:base64…]`; the first key encrypts, all decrypt. */
const keyRing = z.string().transform((value, ctx) => {
  const keys: { id: string; raw: Uint8Array<ArrayBuffer> }[] = [];
  for (const entry of value.split(',').map((part) => part.trim())) {
    const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/_-]+={0,2})$/.exec(entry);
    const raw = match?.[2] ? decodeBase64(match[2]) : undefined;
    if (!match?.[1] || raw?.byteLength !== 32) {
      ctx.addIssue({ code: 'custom', message: 'each entry must be kid:base64 of 32 bytes' });
      return z.NEVER;
    }
    if (keys.some((key) => key.id === match[1])) {
      ctx.addIssue({ code: 'custom', message: 'key ids must be unique' });
      return z.NEVER;
    }
    keys.push({ id: match[1], raw });
  }
  return keys;
});

/** `https://app.example.com[,http://localhost:6274…]`: browser origins, each a scheme, host and optional port. */
const originList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const origins: string[] = [];
    for (const entry of (value ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const url = URL.canParse(entry) ? new URL(entry) : undefined;
      if (!url || url.origin === 'null' || url.pathname !== '/' || url.search || url.hash || url.username) {
        ctx.addIssue({
          code: 'custom',
          message: 'each entry must be an origin such as https://app.example.com',
        });
        return z.NEVER;
      }
      origins.push(url.origin);
    }
    return origins;
  });

const settings = {
  CONFLUENCE_CLIENT_ID: z.string().trim().min(1),
  CONFLUENCE_CLIENT_SECRET: z.string().min(1),
  CONFLUENCE_OAUTH_SCOPE: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value.trim().split(/\s+/) : DEFAULT_SCOPES)),
  CONFLUENCE_REDIRECT_URI: httpUrl,
  TOKEN_ENCRYPTION_KEYS: keyRing,
  SERVICE_API_TOKEN: z.string().min(16),
  ATLASSIAN_AUTH_BASE_URL: httpUrl.optional().transform((url) => url ?? 'https://auth.atlassian.com'),
  ATLASSIAN_API_BASE_URL: httpUrl.optional().transform((url) => url ?? 'https://api.atlassian.com'),
  WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).optional().default(7),
  WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).optional().default(120),
  CONFLUENCE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional().default(15_000),
  EVENT_DESTINATIONS_ALLOW_HTTP: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
  EVENT_DELIVERY_FIRST_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).optional().default(30),
  // Queues keep a message four days by default: a longer window could outlive its message.
  EVENT_DELIVERY_RETRY_WINDOW_SECONDS: z.coerce.number().int().min(1).max(345_600).optional().default(86_400),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional().default(90),
  MCP_ALLOWED_ORIGINS: originList,
  // An isolate has 128 MB: an answer is held once as bytes read and once as the string parsed.
  CONFLUENCE_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(48 * 1024 * 1024)
    .optional()
    .default(16 * 1024 * 1024),
  TOOL_CALLS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).optional().default(600),
  ATLASSIAN_POINTS_PER_HOUR: z.coerce.number().int().min(1).max(100_000_000).optional().default(65_000),
  POINTS_PER_INTEGRATION_PER_HOUR: z.coerce.number().int().min(1).max(100_000_000).optional(),
  CONFLUENCE_READ_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).optional().default(30),
  MCP_SIGN_IN: z
    .enum(['on', 'off'])
    .optional()
    .transform((value) => value !== 'off'),
  // Cloud ids, or hosts such as acme.atlassian.net (a URL is reduced to its host); empty: any site.
  MCP_SIGN_IN_SITES: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((entry) => entry.trim().toLowerCase())
        .filter(Boolean)
        .map((entry) => (URL.canParse(entry) ? new URL(entry).host : entry)),
    ),
} as const;

export type SettingName = keyof typeof settings;
export type Config = { [K in SettingName]: z.output<(typeof settings)[K]> };
export type ConfigProblem = { setting: SettingName | 'CONFLUENCE_KV'; problem: 'missing' | 'malformed' };

interface ParsedConfig {
  values: Partial<Config>;
  problems: ConfigProblem[];
}

// Parsed once per env object: the isolate keeps the same env across requests.
const parsedByEnv = new WeakMap<Env, ParsedConfig>();

export function parseConfig(env: Env): ParsedConfig {
  const cached = parsedByEnv.get(env);
  if (cached) return cached;
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, schema] of Object.entries(settings) as [SettingName, z.ZodType][]) {
    const raw = (env as unknown as Record<string, unknown>)[name];
    const present = typeof raw === 'string' && raw.trim() !== '';
    const result = schema.safeParse(present ? raw : undefined);
    if (result.success) values[name] = result.data;
    else problems.push({ setting: name, problem: present ? 'malformed' : 'missing' });
  }
  if (!env.CONFLUENCE_KV) problems.push({ setting: 'CONFLUENCE_KV', problem: 'missing' });
  const parsed = { values: values as Partial<Config>, problems };
  parsedByEnv.set(env, parsed);
  return parsed;
}

/**
 * The settings a route needs, or `503 misconfigured` naming the first one that is missing or
 * malformed (its name, never its value).
 */
export function requireConfig<K extends SettingName>(env: Env, names: readonly K[]): Pick<Config, K> {
  const { values, problems } = parseConfig(env);
  const problem = problems.find(
    (p) => p.setting === 'CONFLUENCE_KV' || (names as readonly string[]).includes(p.setting),
  );
  if (problem) {
    throw new ApiError(
      'misconfigured',
      `The gateway is not configured: setting ${problem.setting} is ${problem.problem}. An operator must set it (see docs/deploy.md, Configuration).`,
    );
  }
  return values as Pick<Config, K>;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return fromBase64Url(text);
  } catch {
    return undefined;
  }
}
