/**
 * `npm start` as a newcomer runs it: the emulator, the gateway under wrangler dev and the event
 * receiver come up, wired together, and answer; an event the gateway receives is pushed, signed, to
 * the receiver. Run on ports the sandbox picks itself and in a temporary folder (startNpmStart), so
 * a sandbox already running on 8787/8788 is left alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { connectV1 } from '../support/mcp-clients.ts';
import { type RunningSandbox, spawnSandbox, startNpmStart } from '../support/npm-start.ts';

let sandbox: RunningSandbox | undefined;

afterAll(() => sandbox?.stop());

describe('npm start', () => {
  it('serves the gateway, the emulator and the event receiver, wired together, prints the service token and nothing alarming, and speaks MCP', async () => {
    sandbox = await startNpmStart();
    const { folder, gatewayUrl, emulatorUrl, receiverUrl } = sandbox;
    const output = sandbox.output();
    const { serviceToken } = JSON.parse(readFileSync(join(folder, 'sandbox.json'), 'utf8')) as {
      serviceToken: string;
    };
    expect(output).toContain(`SERVICE_TOKEN=${serviceToken}`);
    // wrangler's offline noise (Request.cf warnings with ENOTFOUND stacks, update banner, the status
    // of remote bindings the sandbox does not use) is filtered.
    expect(output).not.toMatch(/ENOTFOUND|Request\.cf|update available|Connection status|Error:/);
    const health = await fetch(`${gatewayUrl}/healthz`);
    expect(health.status).toBe(200);
    const seed = await fetch(`${emulatorUrl}/_emulator/seed`);
    expect(seed.status).toBe(200);
    // Wired together: a connect session's URL leads to the emulator's consent page.
    const session = await fetch(`${gatewayUrl}/api/v1/connect-sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ owner_id: 'newcomer' }),
    });
    const { connect_url } = (await session.json()) as { connect_url: string };
    const connect = await fetch(connect_url, { redirect: 'manual' });
    expect(connect.headers.get('location')?.startsWith(`${emulatorUrl}/authorize?`)).toBe(true);

    // The events tour: an automation-style POST reaches the platform's endpoint (the sandbox's
    // receiver), signed, and the receiver verifies the signature.
    const service = { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' };
    await fetch(`${emulatorUrl}/_emulator/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auto_approve: true, site_preset: 'single' }),
    });
    const id = await connectOverHttp({ gatewayUrl, serviceToken, ownerId: 'newcomer', name: 'Sandbox wiki' });
    const webhook = (await (
      await fetch(`${gatewayUrl}/api/v1/integrations/${id}/webhook-secret`, {
        method: 'POST',
        headers: service,
      })
    ).json()) as { secret: string };
    const destination = await fetch(`${gatewayUrl}/api/v1/integrations/${id}/event-destination`, {
      method: 'PUT',
      headers: service,
      body: JSON.stringify({ url: `${receiverUrl}/events` }),
    });
    expect(destination.status).toBe(201);
    const { secret } = (await destination.json()) as { secret: string };
    await fetch(`${receiverUrl}/_receiver/secret`, { method: 'POST', body: JSON.stringify({ secret }) });
    const received = await fetch(`${gatewayUrl}/integrations/confluence/webhooks/${id}`, {
      method: 'POST',
      headers: { 'x-webhook-secret': webhook.secret, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'page_updated', page: { id: '65538', version: '6' } }),
    });
    expect(received.status).toBe(202);
    const arrived = await sandbox.printed('signature verified, answered 204', 30_000);
    expect(arrived, sandbox.output()).toBe(true);
    expect(sandbox.output()).toContain('"page_updated"');

    // An MCP client reaches the sandbox as the README shows: /mcp with an agent token.
    const agent = await fetch(`${gatewayUrl}/api/v1/integrations/${id}/agent-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const { token } = (await agent.json()) as { token: string };
    const client = await connectV1(`${gatewayUrl}/mcp`, token);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('get_confluence_page');
    const spaces = await client.callTool('get_confluence_spaces', { limit: 1 });
    expect(spaces.structuredContent.spaces).toHaveLength(1);
    await client.close();
  }, 120_000);
});

/** A loopback port held by a server of this test, as another program would hold it. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/** `npm start` with these settings, in a temporary folder, until it exits: what it printed, and its code. */
function runSandboxUntilExit(env: Record<string, string>): Promise<{ code: number | null; printed: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'sandbox-'));
  const child = spawnSandbox(folder, env);
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      rmSync(folder, { recursive: true, force: true });
      resolve({ code, printed });
    }),
  );
}

describe('npm start on a port another program holds', () => {
  it.each([
    ['EMULATOR_PORT', 'emulator'],
    ['RECEIVER_PORT', 'receiver'],
    ['GATEWAY_PORT', 'gateway'],
  ])(
    'stops and names %s, the setting that moves the %s, instead of a stack trace',
    async (setting) => {
      const held = await holdPort();
      try {
        const { code, printed } = await runSandboxUntilExit({ [setting]: String(held.port) });
        expect(code, printed).toBe(1);
        expect(printed).toContain(`Port ${held.port}`);
        expect(printed).toContain(`${setting}=`);
        expect(printed).not.toMatch(/^\s+at /m);
      } finally {
        held.server.close();
      }
    },
    60_000,
  );
});
