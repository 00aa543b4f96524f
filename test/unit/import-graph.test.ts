import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  circlesOf,
  type ImportGraph,
  importsOutside,
  readImportGraph,
  specifiersOf,
} from './import-graph.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const graph = readImportGraph(root, ['src', 'dev', 'test', 'scripts']);

describe('the import graph', () => {
  it('has no circle, of values or of types, in the gateway, the emulator, the tests or the scripts', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(circlesOf(graph).map((circle) => circle.join(' → '))).toEqual([]);
  });

  it('keeps src/lib/ on the ground floor: it imports nothing of the app', () => {
    expect(importsOutside(graph, 'src/lib', ['src/lib'])).toEqual([]);
  });

  it('lets no module import the environment: Env is declared ambiently in src/env.d.ts', () => {
    const importers = [...graph].filter(([, targets]) =>
      targets.some((target) => /^src\/env(\.d)?\.ts$/.test(target)),
    );
    expect(importers.map(([file]) => file)).toEqual([]);
  });

  it('keeps the gateway apart from what only runs beside it: src/ imports nothing of dev/, test/ or scripts/', () => {
    expect(importsOutside(graph, 'src', ['src'])).toEqual([]);
  });
});

describe('the circle finder', () => {
  const graphOf = (files: Record<string, string>): ImportGraph =>
    new Map(
      Object.entries(files).map(([file, text]) => [
        file,
        specifiersOf(text).map((spec) => `${spec.replace(/^\.\//, '')}`),
      ]),
    );

  it('finds a circle made only of type imports, across multi-line import lists', () => {
    const circles = circlesOf(
      graphOf({
        'a.ts': "import type {\n  B,\n  C,\n} from './b.ts';\nexport type A = B | C;",
        'b.ts': "import type { A } from './a.ts';\nexport type B = A[];",
      }),
    );
    expect(circles).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });

  it('finds a circle closed by an import() type, a re-export or a side-effect import', () => {
    const circles = circlesOf(
      graphOf({
        'a.ts': "export { b } from './b.ts';",
        'b.ts': "import './c.ts';\nexport const b = 1;",
        'c.ts': "let a: import('./a.ts').A;",
        'd.ts': "import { b } from './b.ts';",
      }),
    );
    expect(circles).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('finds a file that imports itself, and nothing in a graph without circles', () => {
    expect(circlesOf(graphOf({ 'a.ts': "import { a } from './a.ts';" }))).toEqual([['a.ts', 'a.ts']]);
    expect(
      circlesOf(graphOf({ 'a.ts': "import { b } from './b.ts';", 'b.ts': "import * as z from 'zod';" })),
    ).toEqual([]);
  });
});
