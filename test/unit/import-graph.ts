import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The project's own import graph, read from the source text: every `import … from`, `export … from`,
 * side-effect `import '…'` and `import('…')` (a type position counts: a type-only circle still ties
 * the modules together). Only relative specifiers are edges; packages are leaves.
 */
export type ImportGraph = Map<string, string[]>;

const STATIC = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The relative specifiers one file's text imports. */
export function specifiersOf(text: string): string[] {
  const found = new Set<string>();
  for (const pattern of [STATIC, BARE, DYNAMIC]) {
    for (const match of text.matchAll(pattern)) if (match[1]?.startsWith('.')) found.add(match[1]);
  }
  return [...found];
}

/** Every .ts/.tsx file under `folders` (paths relative to `root`), with the files each imports. */
export function readImportGraph(root: string, folders: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  const visit = (folder: string) => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (/\.tsx?$/.test(entry.name)) {
        const text = readFileSync(join(root, path), 'utf8');
        graph.set(
          path,
          specifiersOf(text).map((spec) => normalize(join(dirname(path), spec))),
        );
      }
    }
  };
  for (const folder of folders) visit(folder);
  return graph;
}

/**
 * The import circles of a graph: each strongly connected component of more than one file (or a
 * file that imports itself), as one circle through it, e.g. `a.ts → b.ts → a.ts` (Tarjan's algorithm).
 */
export function circlesOf(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const connect = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.includes(node)) components.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) connect(node);
  return components.map((component) => circleThrough(graph, new Set(component)));
}

/** One circle inside a strongly connected component, starting and ending at its first file. */
function circleThrough(graph: ImportGraph, component: Set<string>): string[] {
  const start = [...component].sort()[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const target of graph.get(node) ?? []) {
      if (!component.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: string | undefined = node; at && at !== start; at = cameFrom.get(at))
          path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** Edges from files under `from` to files outside `allowed` (folders or files, relative to the root). */
export function importsOutside(graph: ImportGraph, from: string, allowed: readonly string[]): string[] {
  const inside = (path: string, folder: string) =>
    path === folder || !relative(folder, path).startsWith('..');
  const found: string[] = [];
  for (const [file, targets] of graph) {
    if (!inside(file, from)) continue;
    for (const target of targets) {
      if (!allowed.some((folder) => inside(target, folder))) found.push(`${file} → ${target}`);
    }
  }
  return found;
}
