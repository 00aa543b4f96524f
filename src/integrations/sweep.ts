import { kvKeys } from '../kv-keys.ts';

/**
 * What a deleted integration leaves in KV in unbounded numbers (agent tokens, webhook events), purged
 * in batches. A Worker invocation may make at most 1,000 KV operations; a batch stays at about half
 * of that, so one invocation never comes near the limit however much is left behind.
 */
export const KV_OPERATIONS_PER_BATCH = 500;
/** An agent token costs three operations: read its hash, delete its record, delete the index entry. */
const AGENT_TOKENS_PER_BATCH = Math.floor((KV_OPERATIONS_PER_BATCH - 1) / 3);
/** An event costs one: its delete. */
const EVENTS_PER_BATCH = KV_OPERATIONS_PER_BATCH - 1;

/** Where a sweep stands: which kind of key, and KV's list cursor within it. */
export interface SweepProgress {
  phase: 'agent_tokens' | 'events';
  cursor?: string;
}

export const SWEEP_START: SweepProgress = { phase: 'agent_tokens' };

/**
 * One bounded batch: lists one page of the current phase and deletes what it lists. Answers where
 * the next batch starts, or null when nothing is left. The cursor moves on past deleted keys, so a
 * list that still shows them (KV lists are eventually consistent) cannot hold the sweep in place.
 */
export async function sweepBatch(
  kv: KVNamespace,
  integrationId: string,
  progress: SweepProgress,
): Promise<SweepProgress | null> {
  if (progress.phase === 'agent_tokens') {
    const page = await kv.list({
      prefix: kvKeys.agentTokensOfPrefix(integrationId),
      cursor: progress.cursor,
      limit: AGENT_TOKENS_PER_BATCH,
    });
    await Promise.all(
      page.keys.map(async ({ name }) => {
        const hash = await kv.get(name);
        if (hash !== null) await kv.delete(kvKeys.agentToken(hash));
        await kv.delete(name);
      }),
    );
    return page.list_complete ? { phase: 'events' } : { phase: 'agent_tokens', cursor: page.cursor };
  }
  const page = await kv.list({
    prefix: kvKeys.webhookEventsPrefix(integrationId),
    cursor: progress.cursor,
    limit: EVENTS_PER_BATCH,
  });
  await Promise.all(page.keys.map(({ name }) => kv.delete(name)));
  return page.list_complete ? null : { phase: 'events', cursor: page.cursor };
}
