/**
 * A deployment's KV grown large: 10,000 integrations and 100,000 agent tokens (10 each), in the
 * layout the gateway writes (src/kv-keys.ts): each integration's record, its owner's index entry and
 * its sealed access copy; each agent token's record under its hash and its index entry (230,000
 * keys). `npm run bench -- --grown` seeds them into the storage the gateway then starts on.
 *
 * How: workerd's own KV (a small Worker with the gateway's KV binding, test/support/workerd.ts:
 * startKvWriter) writes one key, which makes the namespace's storage (Miniflare's SQLite table of
 * entries and a file per value); the rest are added to that same storage in one SQLite transaction
 * while no workerd holds it, then a sample of them is read back through workerd's KV. Writing each
 * key through the runtime instead costs the local KV about 4 ms of CPU per put: 15 minutes or more
 * for 230,000 keys on this machine, for the same stored bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AgentTokenRecord } from '../../src/auth/agent-tokens.ts';
import { parseConfig } from '../../src/config.ts';
import { IntegrationRecord } from '../../src/integrations/records.ts';
import { kvKeys } from '../../src/kv-keys.ts';
import { sealAccessCopy } from '../../src/vault/tokens.ts';
import { startKvWriter } from '../support/workerd.ts';

export const GROWN = { integrations: 10_000, agentTokensPerIntegration: 10 };

const MARKER = 'bench-grown:seeded';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/** A value's file name as Miniflare's blob store makes it: 32 random bytes, then the time (ms, 64-bit). */
function blobId(): string {
  const time = Buffer.alloc(8);
  time.writeBigInt64BE(BigInt(Math.round(performance.timeOrigin + performance.now())));
  return randomHex(32) + time.toString('hex');
}

/** Every key and value of the grown KV, built as the gateway builds them. */
async function* grownEntries(encryptionKeys: string): AsyncGenerator<[string, string]> {
  const { values } = parseConfig({ TOKEN_ENCRYPTION_KEYS: encryptionKeys } as unknown as Env);
  const ring = values.TOKEN_ENCRYPTION_KEYS;
  if (!ring) throw new Error('TOKEN_ENCRYPTION_KEYS is malformed');
  const now = new Date().toISOString();
  for (let n = 0; n < GROWN.integrations; n++) {
    const id = `int_${randomHex(16)}`;
    const ownerId = `grown-owner-${n % 2_000}`;
    const record = IntegrationRecord.parse({
      id,
      owner_id: ownerId,
      name: `Grown ${n}`,
      status: 'active',
      site: { cloud_id: randomHex(16), url: `https://grown-${n}.atlassian.net`, name: `grown-${n}` },
      scopes: ['read:page:confluence', 'write:page:confluence', 'offline_access'],
      account_id: `grown-account-${n}`,
      created_at: now,
      updated_at: now,
    });
    yield [kvKeys.integration(id), JSON.stringify(record)];
    yield [kvKeys.ownerIndex(sha256(ownerId), id), ''];
    const access = { access_token: `grown-${randomHex(24)}`, access_expires_at: Date.now() + 3_600_000 };
    yield [kvKeys.tokens(id), await sealAccessCopy(ring, id, access)];
    for (let t = 0; t < GROWN.agentTokensPerIntegration; t++) {
      const hash = sha256(`cgw_agent_${randomHex(32)}`);
      const token = AgentTokenRecord.parse({
        integration_id: id,
        token_id: `atk_${randomHex(16)}`,
        label: null,
        policy: null,
        created_at: now,
      });
      yield [kvKeys.agentTokenOf(id, token.token_id), hash];
      yield [kvKeys.agentToken(hash), JSON.stringify(token)];
    }
  }
}

/** Seeds the grown KV into `resourcePersistencePath`; `encryptionKeys` is the gateway's TOKEN_ENCRYPTION_KEYS. */
export async function seedGrownKv(
  resourcePersistencePath: string,
  encryptionKeys: string,
): Promise<{ integrations: number; agentTokens: number; keys: number; seconds: number }> {
  const started = Date.now();
  let writer = await startKvWriter(resourcePersistencePath);
  try {
    const marked = await fetch(writer.url, { method: 'POST', body: JSON.stringify([[MARKER, 'yes']]) });
    if (marked.status !== 200) throw new Error(`KV writer: ${marked.status} ${await marked.text()}`);
  } finally {
    await writer.close();
  }
  const { database, blobs } = namespaceStorage(resourcePersistencePath);
  const sample: [string, string][] = [];
  let keys = 0;
  database.exec('BEGIN');
  try {
    const insert = database.prepare(
      'INSERT OR REPLACE INTO _mf_entries (key, blob_id, expiration, metadata) VALUES (?, ?, NULL, NULL)',
    );
    for await (const [key, value] of grownEntries(encryptionKeys)) {
      const id = blobId();
      writeFileSync(join(blobs, id), value);
      insert.run(key, id);
      keys += 1;
      if (keys % 23_000 === 1) sample.push([key, value]);
    }
    database.exec('COMMIT');
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  } finally {
    database.close();
  }
  // What was added is what workerd's KV reads.
  writer = await startKvWriter(resourcePersistencePath);
  try {
    for (const [key, value] of sample) {
      const read = await (await fetch(`${writer.url}/?key=${encodeURIComponent(key)}`)).text();
      if (read !== value) throw new Error(`the seeded key ${key} reads back as ${JSON.stringify(read)}`);
    }
  } finally {
    await writer.close();
  }
  const integrations = GROWN.integrations;
  return {
    integrations,
    agentTokens: integrations * GROWN.agentTokensPerIntegration,
    keys,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The KV namespace's table of entries (the object's SQLite file that has one) and its values' folder. */
function namespaceStorage(root: string): { database: DatabaseSync; blobs: string } {
  const objects = join(root, 'kv', 'miniflare-KVNamespaceObject');
  for (const file of readdirSync(objects).filter((name) => /^[0-9a-f]{64}\.sqlite$/.test(name))) {
    const database = new DatabaseSync(join(objects, file));
    const marker = database.prepare('SELECT blob_id FROM _mf_entries WHERE key = ?').get(MARKER) as
      | { blob_id: string }
      | undefined;
    if (!marker) {
      database.close();
      continue;
    }
    for (const namespace of readdirSync(join(root, 'kv'))) {
      const blobs = join(root, 'kv', namespace, 'blobs');
      try {
        if (readdirSync(blobs).includes(marker.blob_id)) return { database, blobs };
      } catch {
        // Not a namespace folder.
      }
    }
    database.close();
    throw new Error(`no blob folder holds the marker's value ${marker.blob_id}`);
  }
  throw new Error(`no KV storage under ${objects} holds the marker key`);
}
