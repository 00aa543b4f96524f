/**
 * A body read chunk by chunk up to `limit` bytes: past it the stream is cancelled, so a body of any
 * size (or one that lies about its length) costs at most `limit` bytes of memory. `complete` says
 * whether the bytes are all of it. The one bounded reader for request bodies (webhooks) and
 * Confluence's answers (JSON, and file downloads).
 */
export async function readBounded(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = true;
  const reader = body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      size = limit;
      complete = false;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes, complete };
}

/** Whether a `Content-Length` header already says the body is over `limit`. */
export function declaredOver(headers: Headers, limit: number): boolean {
  const declared = headers.get('content-length');
  return declared !== null && Number(declared) > limit;
}
