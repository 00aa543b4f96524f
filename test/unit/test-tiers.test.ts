import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import config from '../../vitest.config.ts';

/**
 * What keeps `npm test` within minutes (docs/architecture.md, "Development and tests"). Vitest 5
 * runs the files of every isolated project whose maxWorkers is 1 (which `fileParallelism: false`
 * sets) in one group of their own after everything else, one file at a time across all such
 * projects; and projects with different maxWorkers cannot share a group. So no project may set
 * either: every tier then draws on the one pool the root config sizes.
 */
const projects = (config.test?.projects ?? []) as TestProjectInlineConfiguration[];
const nameOf = (project: TestProjectInlineConfiguration) => String(project.test?.name);
const named = (prefix: string) => projects.filter((project) => nameOf(project).startsWith(prefix));

describe('the test tiers', () => {
  it('share one pool of workers, one per core, so their files run side by side', () => {
    expect(config.test?.maxWorkers).toBe(availableParallelism());
    expect(projects.map(nameOf)).toEqual(expect.arrayContaining(['unit', 'worker-1', 'node']));
    for (const project of projects) {
      expect(project.test?.fileParallelism, nameOf(project)).not.toBe(false);
      expect(project.test?.maxWorkers, nameOf(project)).toBeUndefined();
    }
  });

  it('run test/gateway in workerd runtimes that each take file after file', () => {
    const shards = named('worker-');
    expect(shards.length).toBeGreaterThan(0);
    for (const shard of shards) expect(shard.test?.isolate).toBe(false);
  });

  it('deal every test/gateway file to exactly one shard', () => {
    const files = named('worker-').flatMap((shard) => (shard.test?.include ?? []) as string[]);
    const onDisk = readdirSync(new URL('../gateway/', import.meta.url))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => `test/gateway/${name}`);
    expect([...files].sort()).toEqual(onDisk.sort());
  });
});
