import { defineConfig } from 'vitest/config';

/**
 * The unit tier on its own: pure modules in Node, files in parallel. `npm run test:unit` uses this
 * file so that it starts without loading the Workers plugin or wrangler; vitest.config.ts includes the
 * same project in the whole run.
 */
export const unitProject = {
  test: {
    name: 'unit',
    environment: 'node' as const,
    include: ['test/unit/**/*.test.ts'],
  },
};

export default defineConfig(unitProject);
