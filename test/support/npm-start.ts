/**
 * `npm start` (scripts/sandbox.ts) as a test runs it: in a temporary folder, every server on a port
 * it picks itself (port 0), so a sandbox already running on 8787–8789 is left alone and no port is
 * chosen here and raced for. The URLs come back from the banner's `export` line, as a newcomer
 * copies them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningSandbox {
  /** The folder it keeps its settings (sandbox.json) and state in. */
  folder: string;
  gatewayUrl: string;
  emulatorUrl: string;
  receiverUrl: string;
  /** Everything it printed on stdout so far. */
  output(): string;
  /** Settles once its stdout contains `text`, or with false after `timeoutMs`. */
  printed(text: string, timeoutMs: number): Promise<boolean>;
  stop(): void;
}

/**
 * scripts/sandbox.ts with its state in `folder`, each server on a port it picks itself unless `env`
 * names one; `detached` makes it the leader of a process group (to stop wrangler and workerd with it).
 */
export function spawnSandbox(
  folder: string,
  env: Record<string, string> = {},
  detached = false,
): ChildProcess {
  return spawn(process.execPath, ['scripts/sandbox.ts'], {
    detached,
    env: {
      ...process.env,
      GATEWAY_PORT: '0',
      EMULATOR_PORT: '0',
      RECEIVER_PORT: '0',
      INSPECTOR_PORT: '0',
      SANDBOX_DIR: folder,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function startNpmStart(timeoutMs = 90_000): Promise<RunningSandbox> {
  const folder = mkdtempSync(join(tmpdir(), 'sandbox-'));
  const sandbox = spawnSandbox(folder, {}, true);
  let output = '';
  let errors = '';
  sandbox.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  sandbox.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  // The whole process group: wrangler and workerd too, even when the sandbox itself has ended.
  const stop = () => {
    try {
      if (sandbox.pid) process.kill(-sandbox.pid, 'SIGTERM');
    } catch {
      // Nothing of it is left.
    }
    rmSync(folder, { recursive: true, force: true });
  };
  const printed = (text: string, wait: number) =>
    new Promise<boolean>((resolve) => {
      const check = () => {
        if (!output.includes(text)) return;
        clearTimeout(timer);
        sandbox.stdout?.off('data', check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        sandbox.stdout?.off('data', check);
        resolve(false);
      }, wait);
      sandbox.stdout?.on('data', check);
      sandbox.on('exit', () => resolve(output.includes(text)));
      check();
    });
  const exported = /export GATEWAY=(\S+) SERVICE_TOKEN=\S+ EMULATOR=(\S+) RECEIVER=(\S+)/;
  if (!(await printed('curl -s $GATEWAY/healthz', timeoutMs)) || !exported.test(output)) {
    stop();
    throw new Error(`npm start did not come up:\n${output}\n${errors}`);
  }
  const [, gatewayUrl, emulatorUrl, receiverUrl] = exported.exec(output) as unknown as [
    string,
    string,
    string,
    string,
  ];
  return { folder, gatewayUrl, emulatorUrl, receiverUrl, output: () => output, printed, stop };
}
