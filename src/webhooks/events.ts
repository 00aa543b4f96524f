import { kvKeys } from '../kv-keys.ts';
import { fromBase64Url, toBase64Url } from '../lib/base64.ts';
import { ApiError } from '../lib/errors.ts';

/** One received delivery, as stored in KV and as the events route lists it. */
export interface WebhookEvent {
  id: string;
  received_at: string;
  /** The event type the rule's body named, if any. */
  event: string | null;
  page_id?: string;
  /** The whole body, as received. */
  payload: Record<string, unknown>;
}

// Automation bodies are whatever the rule's author wrote: look where people tend to put these.
const EVENT_FIELDS = [['event'], ['eventType'], ['event_type'], ['webhookEvent'], ['type']];
const PAGE_ID_FIELDS = [
  ['page', 'id'],
  ['page_id'],
  ['pageId'],
  ['content', 'id'],
  ['content_id'],
  ['contentId'],
];

export function describeEvent(
  sortKey: string,
  receivedAt: number,
  payload: Record<string, unknown>,
): WebhookEvent {
  const pageId = pick(payload, PAGE_ID_FIELDS);
  return {
    id: `evt_${sortKey}`,
    received_at: new Date(receivedAt).toISOString(),
    event: pick(payload, EVENT_FIELDS) ?? null,
    ...(pageId !== undefined && { page_id: pageId }),
    payload,
  };
}

/** The first field present as a non-empty string (or a number, as text). */
function pick(payload: Record<string, unknown>, paths: string[][]): string | undefined {
  for (const path of paths) {
    let value: unknown = payload;
    for (const key of path) {
      value =
        typeof value === 'object' && value !== null && Object.hasOwn(value, key)
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

/** One key per event, never rewritten: KV allows one write per second per key. */
export async function storeEvent(
  kv: KVNamespace,
  integrationId: string,
  sortKey: string,
  event: WebhookEvent,
  retentionSeconds: number,
): Promise<void> {
  await kv.put(kvKeys.webhookEvent(integrationId, sortKey), JSON.stringify(event), {
    expirationTtl: retentionSeconds,
  });
}

export async function deleteEvent(kv: KVNamespace, integrationId: string, sortKey: string): Promise<void> {
  await kv.delete(kvKeys.webhookEvent(integrationId, sortKey));
}

/**
 * A page of events, newest first (the keys' order), and the cursor of the next page or null. The
 * cursor wraps KV's own with the integration id, so a cursor of another integration's list, or any
 * made-up text, is refused instead of silently listing from somewhere else.
 */
export async function listEvents(
  kv: KVNamespace,
  integrationId: string,
  options: { cursor?: string; limit: number },
): Promise<{ events: WebhookEvent[]; next_cursor: string | null }> {
  const kvCursor = options.cursor === undefined ? undefined : unwrapCursor(integrationId, options.cursor);
  let page: KVNamespaceListResult<unknown>;
  try {
    page = await kv.list({
      prefix: kvKeys.webhookEventsPrefix(integrationId),
      cursor: kvCursor,
      limit: options.limit,
    });
  } catch (error) {
    if (kvCursor === undefined) throw error;
    throw badCursor();
  }
  const names = page.keys.map((key) => key.name);
  const values = names.length ? await kv.get<WebhookEvent>(names, 'json') : new Map<string, null>();
  // An event that expired between the list and the read is simply gone.
  const events = names
    .map((name) => values.get(name))
    .filter((event): event is WebhookEvent => event != null);
  return {
    events,
    next_cursor: page.list_complete ? null : wrapCursor(integrationId, page.cursor),
  };
}

function wrapCursor(integrationId: string, kvCursor: string): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify({ i: integrationId, k: kvCursor })));
}

function unwrapCursor(integrationId: string, cursor: string): string {
  try {
    const { i, k } = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor)));
    if (i === integrationId && typeof k === 'string' && k !== '') return k;
  } catch {
    // Falls through to the 400 below.
  }
  throw badCursor();
}

function badCursor(): ApiError {
  return new ApiError(
    'invalid_request',
    'cursor is not one this route issued for this integration. Pass next_cursor from the previous answer unchanged, or omit it to start from the newest event.',
  );
}
