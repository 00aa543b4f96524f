import type { Caller } from '../auth/caller.ts';
import { ApiError } from '../lib/errors.ts';
import { type AuditEntry, auditCaller, pageVersionOf, targetsOf } from './entry.ts';
import type { PageVersions } from './page-versions.ts';

export interface AuditedCall {
  env: Env;
  executionCtx: Pick<ExecutionContext, 'waitUntil'>;
  integrationId: string;
  caller: Caller;
  retentionDays: number;
  tool: string;
  args: Record<string, unknown>;
  /** The pages the call's Confluence requests saw, with their versions. */
  pages: ReadonlyMap<string, PageVersions>;
  /** The Atlassian points its Confluence requests cost (0: none was sent). */
  points?: number;
}

/**
 * Records how a call ended: its answer, or the error it was refused or failed with. The entry goes
 * to the integration's AuditLog after the answer (waitUntil), and to the Worker's log at once as one
 * JSON line (`wrangler tail`). A failure to store it is logged and never fails the call.
 */
export function recordCall(
  call: AuditedCall,
  ending: { result: Record<string, unknown> } | { error: unknown; refusedBy?: AuditEntry['refused_by'] },
): void {
  const targets = targetsOf(call.args, 'result' in ending ? ending.result : undefined, call.pages);
  const entry: AuditEntry = {
    at: new Date().toISOString(),
    caller: auditCaller(call.caller),
    tool: call.tool,
    targets,
    outcome:
      'result' in ending ? 'ok' : ending.error instanceof ApiError ? ending.error.code : 'internal_error',
    ...('error' in ending && ending.refusedBy && { refused_by: ending.refusedBy }),
    page_version: pageVersionOf(targets, call.pages),
    points: call.points ?? 0,
  };
  console.log(JSON.stringify({ event: 'tool_audit', integration_id: call.integrationId, ...entry }));
  const log = call.env.AUDIT_LOG.get(call.env.AUDIT_LOG.idFromName(call.integrationId));
  call.executionCtx.waitUntil(
    log.append(entry, call.retentionDays).catch((error: unknown) => {
      console.error(
        JSON.stringify({
          event: 'audit_write_failed',
          integration_id: call.integrationId,
          error: error instanceof Error ? error.name : 'unknown',
        }),
      );
    }),
  );
}
