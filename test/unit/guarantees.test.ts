/**
 * The guarantees ledger (docs/guarantees.md) names, for each promise of the docs, the test that holds
 * it and the mutation that proves the test would notice. Every name it gives must exist, and so must
 * everything the mutations themselves name; docs/architecture.md lists every mutation with its killer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEDGER_HEADER, ledgerEntries, ledgerProblems, namesTest } from '../../scripts/guarantees.ts';
import { MUTATIONS, mutationTable } from '../../scripts/mutations.ts';

const root = resolve(import.meta.dirname, '../..');
const ledger = readFileSync(resolve(root, 'docs/guarantees.md'), 'utf8');
const entries = ledgerEntries(ledger);

describe('docs/guarantees.md', () => {
  it('holds entries in every section of the ledger', () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
    expect(ledger.split('\n').filter((line) => line.trim() === LEDGER_HEADER).length).toBeGreaterThanOrEqual(
      5,
    );
  });

  it('names, for every entry, a test file and test that exist and a mutation of scripts/mutations.ts killed by that file', () => {
    expect(ledgerProblems(entries, MUTATIONS, root)).toEqual([]);
  });

  it('names each mutation for one promise at most', () => {
    const names = entries.map((entry) => entry.mutation);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });
});

describe('scripts/mutations.ts', () => {
  it.each(MUTATIONS.map((m) => [m.name, m] as const))(
    '%s: its test file exists, and the text it replaces occurs once in its file',
    (_name, mutation) => {
      expect(existsSync(resolve(root, mutation.test)), `${mutation.test} does not exist`).toBe(true);
      const path = resolve(root, mutation.file);
      expect(existsSync(path), `${mutation.file} does not exist`).toBe(true);
      expect(readFileSync(path, 'utf8').split(mutation.from).length - 1).toBe(1);
    },
  );

  it('has unique names', () => {
    const names = MUTATIONS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('is listed whole in docs/architecture.md, each mutation with its killer (npm run test:mutations -- --markdown)', () => {
    expect(readFileSync(resolve(root, 'docs/architecture.md'), 'utf8')).toContain(mutationTable());
  });
});

describe('the ledger check', () => {
  // Names a real test of another file: a name written in this file would be found in it.
  const held = '`test/unit/oauth-pkce.test.ts` › `lets an S256 challenge through`';
  const sample = [
    LEDGER_HEADER,
    '| --- | --- | --- | --- |',
    `| held | [mcp](mcp.md) | ${held} | \`pkce-any-method\` |`,
    '| no such test | [mcp](mcp.md) | `test/unit/oauth-pkce.test.ts` › `lets an S256 challenge` | `pkce-any-method` |',
    `| killed elsewhere | [mcp](mcp.md) | ${held} | \`refresh-margin\` |`,
    '| no such file | [mcp](mcp.md) | `test/unit/nowhere.test.ts` › `lets an S256 challenge through` | `nowhere` |',
    `| no such mutation | [mcp](mcp.md) | ${held} | \`no-such-mutation\` |`,
    `| a \\| pipe, no mutation | [mcp](mcp.md) | ${held} | |`,
    '',
    '| not | a ledger | table | row |',
  ].join('\n');
  const mutations = [
    { name: 'pkce-any-method', test: 'test/unit/oauth-pkce.test.ts' },
    { name: 'refresh-margin', test: 'test/gateway/timing-and-config.test.ts' },
    { name: 'nowhere', test: 'test/unit/nowhere.test.ts' },
  ];

  it('reads each row of a ledger table, and nothing outside one', () => {
    const found = ledgerEntries(sample);
    expect(found.map((entry) => entry.promise)).toEqual([
      'held',
      'no such test',
      'killed elsewhere',
      'no such file',
      'no such mutation',
      'a | pipe, no mutation',
    ]);
    expect(found[0]).toEqual({
      line: 3,
      promise: 'held',
      testFile: 'test/unit/oauth-pkce.test.ts',
      testName: 'lets an S256 challenge through',
      mutation: 'pkce-any-method',
    });
  });

  it('reports a missing test, test file or mutation, a mutation killed elsewhere, and an incomplete entry', () => {
    expect(ledgerProblems(ledgerEntries(sample), mutations, root)).toEqual([
      'docs/guarantees.md:4: test/unit/oauth-pkce.test.ts has no test named "lets an S256 challenge"',
      'docs/guarantees.md:5: the mutation refresh-margin is killed by test/gateway/timing-and-config.test.ts, not by test/unit/oauth-pkce.test.ts, which holds the promise',
      'docs/guarantees.md:6: the test file test/unit/nowhere.test.ts does not exist',
      'docs/guarantees.md:7: no mutation named no-such-mutation in scripts/mutations.ts',
      'docs/guarantees.md:8: an entry needs a promise, `test file` › `test name`, and `mutation`',
    ]);
  });

  it('finds a test name only as a whole string literal', () => {
    const source = "it('refuses a replayed state', () => {});\nit(\"keeps the token's hash\", f);";
    expect(namesTest(source, 'refuses a replayed state')).toBe(true);
    expect(namesTest(source, "keeps the token's hash")).toBe(true);
    expect(namesTest(source, 'refuses a replayed')).toBe(false);
  });
});
