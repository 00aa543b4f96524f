/**
 * The README's sandbox tour, run as a newcomer runs it: `npm start` (on ports it picks, in a
 * temporary folder), then every ```sh block of the "Sandbox tour" section, in order, in one bash session.
 * A command that fails, or a curl that gets an HTTP error where the tour does not say it answers
 * one, fails the test: the README cannot drift from the code.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startNpmStart } from '../support/npm-start.ts';

let sandbox: RunningSandbox | undefined;

afterAll(() => sandbox?.stop());

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
function tourScript(blocks: string[], sandbox: RunningSandbox) {
  const strict = 'curl() { command curl --fail-with-body "$@"; }';
  const lenient = 'unset -f curl';
  const body = blocks
    .map(
      (block, index) =>
        `echo "::block ${index + 1}"\n${/answers 4\d\d/.test(block) ? lenient : strict}\n${block}`,
    )
    .join('\n');
  return `set -euo pipefail\n${body}`
    .replaceAll('http://127.0.0.1:8787', sandbox.gatewayUrl)
    .replaceAll('http://127.0.0.1:8788', sandbox.emulatorUrl)
    .replaceAll('http://127.0.0.1:8789', sandbox.receiverUrl)
    .replaceAll('.sandbox/sandbox.json', join(sandbox.folder, 'sandbox.json'));
}

describe('the README sandbox tour', () => {
  it('runs from start to end against npm start, every step answering as the README says', async () => {
    sandbox = await startNpmStart();
    const blocks = tourBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const run = spawnSync('bash', ['-c', tourScript(blocks, sandbox)], {
      encoding: 'utf8',
      timeout: 150_000,
      env: { ...process.env, HOME: sandbox.folder },
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    // What each step shows, as the README describes it.
    expect(output).toContain('"ok": true');
    expect(output).toContain('"name": "Sandbox wiki"');
    expect(output).toContain('"site": "https://acme.atlassian.net"');
    expect(output).toContain('update_confluence_page_section');
    expect(output).toContain('"truncated": true');
    expect(output).toContain('- [x] call tools');
    expect(output).toContain('"code": "forbidden"');
    expect(output).toContain('"event": "page_updated"');
    expect(output).toMatch(/"label": "tour agent"/);
  }, 240_000);
});
