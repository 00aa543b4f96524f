import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { IntegrationLifecycle } from '../../../src/integrations/lifecycle.ts';

/** The integration's IntegrationLifecycle object, as the Worker addresses it. */
export function lifecycle(id: string) {
  return env.INTEGRATION_LIFECYCLE.get(env.INTEGRATION_LIFECYCLE.idFromName(id));
}

/** Runs the lifecycle object's alarm until no sweep is left (a deletion's purge, to its end). */
export async function finishSweep(id: string): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const sweeping = await runInDurableObject(lifecycle(id), (_instance, state) =>
      state.storage.get('sweep'),
    );
    if (sweeping === undefined) return;
    await runDurableObjectAlarm(lifecycle(id));
  }
  throw new Error('the sweep did not finish in 100 alarms');
}

/** KV operations one invocation made, counted by a proxy around the binding. */
export interface KvCounter {
  kv: KVNamespace;
  count: number;
}

const OPERATIONS = new Set(['get', 'getWithMetadata', 'put', 'delete', 'list']);

/** A KV binding that counts every operation (a bulk get counts once, as the platform counts it). */
export function countingKv(kv: KVNamespace = env.CONFLUENCE_KV): KvCounter {
  const counter: KvCounter = { kv, count: 0 };
  counter.kv = new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (OPERATIONS.has(String(property))) counter.count++;
        return (value as (...rest: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return counter;
}

/**
 * KV in this isolate's memory, for tests that need thousands of keys: the local KV simulator spends
 * milliseconds per operation, this one none. It keeps what the gateway relies on: sorted listing
 * by prefix with a limit and a cursor, single and bulk reads, writes and deletes (expiry ignored).
 */
export function memoryKv(entries: Iterable<[string, string]> = []): KVNamespace {
  const data = new Map(entries);
  const read = (key: string, type: unknown) => {
    const value = data.get(key) ?? null;
    return value !== null && (type === 'json' || (type as { type?: string })?.type === 'json')
      ? JSON.parse(value)
      : value;
  };
  const kv = {
    async get(key: string | string[], type?: unknown) {
      if (Array.isArray(key)) return new Map(key.map((name) => [name, read(name, type)]));
      return read(key, type);
    },
    async put(key: string, value: string) {
      data.set(key, value);
    },
    async delete(key: string) {
      data.delete(key);
    },
    async list(options: { prefix?: string; cursor?: string; limit?: number } = {}) {
      const names = [...data.keys()]
        .filter((name) => name.startsWith(options.prefix ?? '') && (!options.cursor || name > options.cursor))
        .sort();
      const page = names.slice(0, options.limit ?? 1000);
      const complete = page.length === names.length;
      return {
        keys: page.map((name) => ({ name })),
        list_complete: complete,
        ...(complete ? {} : { cursor: page.at(-1) as string }),
      };
    },
  };
  return kv as unknown as KVNamespace;
}

/** Gives the lifecycle object a counting KV binding, for the invocations that follow. */
export async function countLifecycleKv(id: string, kv?: KVNamespace): Promise<KvCounter> {
  const counter = countingKv(kv);
  await runInDurableObject(lifecycle(id), (instance: IntegrationLifecycle) => {
    const self = instance as unknown as { env: Env };
    self.env = { ...self.env, CONFLUENCE_KV: counter.kv };
  });
  return counter;
}
