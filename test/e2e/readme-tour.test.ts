/**
 * The README's sandbox tour, run as a newcomer runs it: `npm start` (on free ports, in a temporary
 * folder), then every ```sh block of the "Sandbox tour" section, in order, in one bash session.
 * A command that fails, or a curl that gets an HTTP error where the tour does not say it answers
 * one, fails the test: the README cannot drift from the code.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/workerd.ts';

let sandbox: ChildProcess | undefined;
let folder: string | undefined;

afterAll(() => {
  if (sandbox?.pid) process.kill(-sandbox.pid, 'SIGTERM');
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The ```sh blocks of the README's "## Sandbox tour" section, in order. */
function tourBlocks(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\n## Sandbox tour\n');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

/**
 * One script: curl fails on HTTP errors (--fail-with-body) except in a block that says it
 * "answers 4xx"; the sandbox's real ports and folder stand for the README's defaults.
 */
function tourScript(
  blocks: string[],
  ports: Record<'gateway' | 'emulator' | 'receiver', number>,
  dir: string,
) {
  const strict = 'curl() { command curl --fail-with-body "$@"; }';
  const lenient = 'unset -f curl';
  const body = blocks
    .map(
      (block, index) =>
        `echo "::block ${index + 1}"\n${/answers 4\d\d/.test(block) ? lenient : strict}\n${block}`,
    )
    .join('\n');
  return `set -euo pipefail\n${body}`
    .replaceAll('http://127.0.0.1:8787', `http://127.0.0.1:${ports.gateway}`)
    .replaceAll('http://127.0.0.1:8788', `http://127.0.0.1:${ports.emulator}`)
    .replaceAll('http://127.0.0.1:8789', `http://127.0.0.1:${ports.receiver}`)
    .replaceAll('.sandbox/sandbox.json', join(dir, 'sandbox.json'));
}

describe('the README sandbox tour', () => {
  it('runs from start to end against npm start, every step answering as the README says', async () => {
    const ports = { gateway: await freePort(), emulator: await freePort(), receiver: await freePort() };
    folder = mkdtempSync(join(tmpdir(), 'tour-'));
    sandbox = spawn(process.execPath, ['scripts/sandbox.ts'], {
      detached: true,
      env: {
        ...process.env,
        GATEWAY_PORT: String(ports.gateway),
        EMULATOR_PORT: String(ports.emulator),
        RECEIVER_PORT: String(ports.receiver),
        INSPECTOR_PORT: String(await freePort()),
        SANDBOX_DIR: folder,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let sandboxOutput = '';
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 90_000);
      sandbox?.stdout?.on('data', (chunk: Buffer) => {
        sandboxOutput += chunk.toString();
        if (sandboxOutput.includes('Sandbox ready')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      sandbox?.on('exit', () => resolve(false));
    });
    expect(ready, sandboxOutput).toBe(true);

    const blocks = tourBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const run = spawnSync('bash', ['-c', tourScript(blocks, ports, folder)], {
      encoding: 'utf8',
      timeout: 150_000,
      env: { ...process.env, HOME: folder },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    // What each step shows, as the README describes it.
    expect(output).toContain('"ok": true');
    expect(output).toMatch(/Integration id: <code>int_/);
    expect(output).toContain('update_confluence_page_section');
    expect(output).toContain('"truncated": true');
    expect(output).toContain('- [x] call tools');
    expect(output).toContain('"code": "forbidden"');
    expect(output).toContain('"event": "page_updated"');
    expect(output).toMatch(/"label": "tour agent"/);
  }, 240_000);
});
