import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The unit tier on its own: pure modules in Node, files in parallel. `npm run test:unit` uses this
 * file so that it starts without loading the Workers plugin or wrangler; vitest.config.ts includes the
 * same project in the whole run.
 *
 * Modules the bundle swaps for stand-ins (wrangler.toml's [alias]) are swapped here too, so the unit
 * tests run what the bundle runs: markdown-it is processed by Vite (inlined) for its `linkify-it`
 * import to reach src/markdown/linkify-off.ts, as it does in the bundle.
 */
export const unitProject = {
  resolve: { alias: wranglerAliases() },
  test: {
    name: 'unit',
    environment: 'node' as const,
    include: ['test/unit/**/*.test.ts'],
    server: { deps: { inline: ['markdown-it'] } },
    // Pure modules, no mocks and no globals changed: a worker runs file after file and keeps what it
    // has imported, instead of a process started and the same modules imported again for each file.
    isolate: false,
  },
};

// One worker per core: vitest's default leaves one core out, which on two cores is one worker.
export default defineConfig({
  ...unitProject,
  test: { ...unitProject.test, maxWorkers: availableParallelism() },
});

/** wrangler.toml's [alias] table, each stand-in as an absolute path. */
export function wranglerAliases(): Record<string, string> {
  const toml = readFileSync(new URL('./wrangler.toml', import.meta.url), 'utf8');
  const table = /^\[alias\]\n([\s\S]*?)(?=^\[)/m.exec(toml)?.[1] ?? '';
  return Object.fromEntries(
    [...table.matchAll(/^"([^"]+)"\s*=\s*"([^"]+)"/gm)].map(([, name, path]) => [
      name as string,
      fileURLToPath(new URL(path as string, import.meta.url)),
    ]),
  );
}
