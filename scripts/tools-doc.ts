/**
 * docs/tools.md, rendered from the tool registry: every tool's name, toolset, title, whether it
 * writes, and the first sentence of its description. `npm run docs:tools` writes it; test/unit/docs-tools.test.ts
 * fails while the file differs from what this renders.
 */
import { tools } from '../src/tools/registry.ts';
import type { Tool } from '../src/tools/tool.ts';
import { DEFAULT_TOOLSETS } from '../src/tools/toolsets.ts';

/** The first sentence of a description: up to the first full stop that ends a sentence. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/(?<!\b(?:e\.g|i\.e|etc|vs))\.(?=\s|$)/);
  return end === -1 ? flat : flat.slice(0, end + 1);
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function table(group: readonly Tool[]): string[] {
  const header = ['| tool | toolset | title | what it does |', '| --- | --- | --- | --- |'];
  const rows = group.map((tool) => {
    const cells = [`\`${tool.name}\``, cell(tool.toolset)];
    const notes = tool.annotations.destructiveHint ? ' (destructive)' : '';
    return `| ${[...cells, cell(tool.title), cell(firstSentence(tool.description)) + notes].join(' | ')} |`;
  });
  return [...header, ...rows];
}

export function renderToolsDoc(registry: readonly Tool[] = tools): string {
  const reads = registry.filter((tool) => tool.annotations.readOnlyHint);
  const writes = registry.filter((tool) => !tool.annotations.readOnlyHint);
  return [
    '# Tools',
    '',
    '<!-- Generated from src/tools/registry.ts by `npm run docs:tools`; edit the tools, not this file. -->',
    '',
    `${registry.length} tools, in the order the catalog lists them. Each one's full description, input`,
    'JSON Schema and output schema are served by `GET /api/v1/tools` and MCP `tools/list`; how a call',
    'goes, the bodies and the errors are in [api.md](api.md#tools), Markdown in [markdown.md](markdown.md).',
    'An MCP URL lists the toolsets it names ([mcp.md](mcp.md#toolsets-what-a-connection-lists)); without',
    `any, ${DEFAULT_TOOLSETS.join(', ')}.`,
    '',
    `## Reading (${reads.length})`,
    '',
    ...table(reads),
    '',
    `## Writing (${writes.length})`,
    '',
    'A read-only policy refuses these ([policy-and-audit.md](policy-and-audit.md#policy)).',
    '',
    ...table(writes),
    '',
  ].join('\n');
}
