import { requireConfig } from '../config.ts';
import { open } from '../vault/crypto.ts';
import { type AttemptResult, type DeliveryMessage, outboxOf, secretContext } from './outbox.ts';

import { signatureHeaders } from './signing.ts';

/** How long a destination may take to answer one attempt before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** When the gateway itself cannot attempt (misconfigured, storage unreachable), look again later. */
const GATEWAY_TROUBLE_DELAY_SECONDS = 60;

/**
 * The queue consumer: one signed POST per message, all messages of a batch at once. Each message
 * is acknowledged or retried on its own; the queue, not this code, waits between attempts.
 */
export async function deliverEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await Promise.all(batch.messages.map((message) => deliverOne(message, env)));
}

async function deliverOne(message: Message<unknown>, env: Env): Promise<void> {
  const reference = message.body as Partial<DeliveryMessage> | null;
  if (
    typeof reference?.integration_id !== 'string' ||
    typeof reference.event_id !== 'string' ||
    typeof reference.round !== 'number'
  ) {
    log({ outcome: 'malformed_message' });
    message.ack();
    return;
  }
  const { integration_id, event_id, round } = reference;
  try {
    const config = requireConfig(env, [
      'TOKEN_ENCRYPTION_KEYS',
      'EVENT_DELIVERY_FIRST_RETRY_SECONDS',
      'EVENT_DELIVERY_RETRY_WINDOW_SECONDS',
    ]);
    const outbox = outboxOf(env, integration_id);
    const attempt = await outbox.startAttempt(event_id, round);
    if (!attempt) {
      log({ integration_id, event_id, outcome: 'settled' });
      message.ack();
      return;
    }
    const started = Date.now();
    const secret = await open(
      config.TOKEN_ENCRYPTION_KEYS,
      secretContext(integration_id),
      attempt.sealedSecret,
    ).catch(() => null);
    const result: AttemptResult = secret
      ? await post(attempt.url, event_id, secret, attempt.body)
      : {
          ok: false,
          status: null,
          error:
            'The signing secret could not be opened: TOKEN_ENCRYPTION_KEYS no longer holds its key. Set the destination again with PUT …/event-destination.',
        };
    const decision = await outbox.finishAttempt(event_id, round, result, {
      firstRetrySeconds: config.EVENT_DELIVERY_FIRST_RETRY_SECONDS,
      windowSeconds: config.EVENT_DELIVERY_RETRY_WINDOW_SECONDS,
    });
    log({
      integration_id,
      event_id,
      attempt: attempt.attempt,
      destination_host: new URL(attempt.url).host,
      status: result.status,
      ...(!result.ok && { error: result.error }),
      duration_ms: Date.now() - started,
      outcome: decision.outcome,
      ...(decision.outcome === 'retry' && { retry_in_seconds: decision.delaySeconds }),
    });
    if (decision.outcome === 'retry') message.retry({ delaySeconds: decision.delaySeconds });
    else message.ack();
  } catch (error) {
    // The gateway, not the destination, failed: try again later without counting it against the event.
    log({ integration_id, event_id, outcome: 'gateway_error', error: (error as Error).name });
    message.retry({ delaySeconds: GATEWAY_TROUBLE_DELAY_SECONDS });
  }
}

/** One signed POST. Redirects are not followed: a destination must name its final URL. */
async function post(url: string, eventId: string, secret: string, body: string): Promise<AttemptResult> {
  const headers = await signatureHeaders(secret, eventId, Math.floor(Date.now() / 1000), body);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'confluence-agent-gateway', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return {
      ok: false,
      status: null,
      error: timedOut
        ? `The destination did not answer within ${ATTEMPT_TIMEOUT_MS / 1000} s.`
        : 'The destination could not be reached (connection failed).',
    };
  }
  // Only the status matters; the destination's body is neither read nor kept.
  await response.body?.cancel();
  if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
  const redirect = response.status >= 300 && response.status < 400;
  return {
    ok: false,
    status: response.status,
    error: redirect
      ? `The destination answered ${response.status} (a redirect, which is not followed): set its final URL.`
      : `The destination answered ${response.status}; a 2xx status acknowledges a delivery.`,
  };
}

/** One line per attempt: ids, status, timing. Never the body, the URL's path or query, or the secret. */
function log(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ event: 'event_delivery_attempt', ...fields }));
}
