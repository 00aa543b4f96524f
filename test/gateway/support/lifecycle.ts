import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { Env } from '../../../src/env.ts';
import type { IntegrationLifecycle } from '../../../src/lifecycle/integration-lifecycle.ts';

/** The integration's IntegrationLifecycle object, as the Worker addresses it. */
export function lifecycle(id: string) {
  return env.INTEGRATION_LIFECYCLE.get(env.INTEGRATION_LIFECYCLE.idFromName(id));
}

/** Runs the lifecycle object's alarm until none is left due now (a deletion's sweep, to its end). */
export async function finishSweep(id: string): Promise<void> {
  for (let round = 0; round < 100; round++) {
    const due = await runInDurableObject(lifecycle(id), (_instance, state) => state.storage.getAlarm());
    if (due === null || due > Date.now()) return;
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

/** Gives the lifecycle object a counting KV binding, for the invocations that follow. */
export async function countLifecycleKv(id: string): Promise<KvCounter> {
  const counter = countingKv();
  await runInDurableObject(lifecycle(id), (instance: IntegrationLifecycle) => {
    const self = instance as unknown as { env: Env };
    self.env = { ...self.env, CONFLUENCE_KV: counter.kv };
  });
  return counter;
}
