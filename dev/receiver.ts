/**
 * A stand-in for the agent platform's event endpoint: it takes the gateway's signed deliveries,
 * checks them with the `standardwebhooks` package (an independent Standard Webhooks verifier, not
 * the gateway's code), remembers them, and can be told to fail or to be down. The sandbox prints
 * what arrives; the gateway suite reads what arrived through the control routes.
 *
 * Control routes (JSON):
 *   POST /_receiver/secret      {secret}                   verify deliveries with this secret from now on
 *   POST /_receiver/behaviour   {path, fail_next?, status?, location?, down?}
 *        the next `fail_next` deliveries to `path` answer `status` (503), with a `Location` header
 *        when `location` is given (a redirect); `down: true` drops every
 *        connection to `path` unanswered until `down: false`
 *   GET  /_receiver/deliveries?path=   {deliveries: [ReceivedDelivery]} oldest first
 * Any other POST is a delivery.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  seq: number;
  at: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status answered; 0 when the connection was dropped. */
  answered: number;
  /** Whether the signature verified with the secret given to /_receiver/secret (null: none given). */
  verified: boolean | null;
}

interface Behaviour {
  failNext: number;
  status: number;
  /** Sent as `Location` with the failing answers. */
  location?: string;
  down: boolean;
}

export interface RunningReceiver {
  url: string;
  close(): Promise<void>;
}

export async function startReceiver(
  options: { port?: number; host?: string; onDelivery?: (delivery: ReceivedDelivery) => void } = {},
): Promise<RunningReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const behaviours = new Map<string, Behaviour>();
  let secret: string | undefined;

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://receiver');
    const body = await readBody(request);
    if (url.pathname === '/_receiver/secret' && request.method === 'POST') {
      secret = JSON.parse(body).secret;
      return json(response, 200, { ok: true });
    }
    if (url.pathname === '/_receiver/behaviour' && request.method === 'POST') {
      const { path, fail_next, status, location, down } = JSON.parse(body);
      const current = behaviours.get(path) ?? { failNext: 0, status: 503, down: false };
      behaviours.set(path, {
        failNext: fail_next ?? current.failNext,
        status: status ?? current.status,
        location: location ?? current.location,
        down: down ?? current.down,
      });
      return json(response, 200, { ok: true });
    }
    if (url.pathname === '/_receiver/deliveries' && request.method === 'GET') {
      const path = url.searchParams.get('path');
      return json(response, 200, { deliveries: deliveries.filter((d) => path === null || d.path === path) });
    }
    if (request.method !== 'POST') return json(response, 405, { error: 'deliveries are POSTed' });

    const delivery: ReceivedDelivery = {
      seq: deliveries.length + 1,
      at: new Date().toISOString(),
      path: url.pathname,
      headers: pickHeaders(request),
      body,
      answered: 0,
      verified: secret === undefined ? null : verifies(secret, body, request),
    };
    deliveries.push(delivery);
    const behaviour = behaviours.get(url.pathname);
    if (behaviour?.down) {
      request.socket.destroy();
    } else if (behaviour && behaviour.failNext > 0) {
      behaviour.failNext--;
      delivery.answered = behaviour.status;
      if (behaviour.location) response.setHeader('location', behaviour.location);
      json(response, behaviour.status, { error: 'failing on purpose' });
    } else if (delivery.verified === false) {
      delivery.answered = 401;
      json(response, 401, { error: 'signature does not verify' });
    } else {
      delivery.answered = 204;
      response.writeHead(204).end();
    }
    options.onDelivery?.(delivery);
  });
  // A port that cannot be had fails the start; once listening, the start's listener is done.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function verifies(secret: string, body: string, request: IncomingMessage): boolean {
  try {
    new Webhook(secret).verify(body, pickHeaders(request));
    return true;
  } catch {
    return false;
  }
}

function pickHeaders(request: IncomingMessage): Record<string, string> {
  const names = ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'user-agent'];
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = request.headers[name];
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
