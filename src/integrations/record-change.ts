import type { Policy } from '../policy/policy.ts';
import type { IntegrationRecord } from './records.ts';

/**
 * One change to an integration record, as data: only the fields it names change. Every writer of a
 * record (connect and reconnect, MCP re-sign-in, needs_reauth, confirm, PATCH) sends its change to
 * the integration's lifecycle Durable Object, which applies it to its own copy, one change at a
 * time, and copies the result to KV. No writer reads the record from KV to write it back, so none
 * can write back a stale policy (or status, or name) another location changed meanwhile.
 */
export interface RecordChange {
  /** The record to start from when none exists yet (a first connect); ignored when one does. */
  create?: IntegrationRecord;
  name?: string;
  status?: IntegrationRecord['status'];
  /** Change the status only from one of these (e.g. confirm only what is pending_confirmation). */
  onlyFromStatus?: readonly IntegrationRecord['status'][];
  /** The policy's fields to replace; those left out keep their current value. */
  policy?: Partial<Policy>;
  site?: IntegrationRecord['site'];
  scopes?: string[];
  account_id?: string | null;
}

/** `current` with `change` applied (the lifecycle object calls this on its own copy). */
export function applyRecordChange(
  current: IntegrationRecord,
  change: RecordChange,
  now: string,
): IntegrationRecord {
  const statusChanges =
    change.status !== undefined &&
    (change.onlyFromStatus === undefined || change.onlyFromStatus.includes(current.status));
  return {
    ...current,
    ...(change.name !== undefined && { name: change.name }),
    ...(statusChanges && { status: change.status }),
    ...(change.policy !== undefined && { policy: mergePolicy(current.policy, change.policy) }),
    ...(change.site !== undefined && { site: change.site }),
    ...(change.scopes !== undefined && { scopes: change.scopes }),
    ...(change.account_id !== undefined && { account_id: change.account_id }),
    updated_at: now,
  };
}

/** `base` with the fields `patch` gives replaced; fields left out (or undefined) keep their value. */
function mergePolicy(base: Policy, patch: Partial<Policy>): Policy {
  const given = Object.entries(patch).filter(([, value]) => value !== undefined);
  return { ...base, ...Object.fromEntries(given) };
}
