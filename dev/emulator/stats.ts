/** Counters tests read at `GET /_emulator/stats`, e.g. to prove a token was refreshed once. */
export function emptyStats() {
  return {
    token_requests: { authorization_code: 0, refresh_token: 0, other: 0 },
    token_failures: 0,
    authorize: { requests: 0, approved: 0, denied: 0, auto_approved: 0 },
    accessible_resources_requests: 0,
    confluence_requests: 0,
    /** Confluence calls by operation, e.g. `"GET /wiki/api/v2/pages/{id}": 3`. */
    confluence_operations: {} as Record<string, number>,
    faults_injected: 0,
    /** Confluence calls answered 429 because their points pool was spent (quota.ts). */
    quota_429s: 0,
    /** Bytes of `stream_bytes` answers handed to the connection so far. */
    streamed_bytes: 0,
  };
}

export type EmulatorStats = ReturnType<typeof emptyStats>;
