/**
 * What the tool catalog costs a model's context, in o200k_base tokens (GPT-4o's BPE): the MCP
 * tools/list of the default toolsets and of every tool, the server's instructions, and the REST
 * catalog in both formats, each as the gateway serves it (the same definitions, built in this
 * process). Part of `npm run bench`; runs alone with `node test/bench/catalog.ts` (exit 1 if a
 * budget fails). test/e2e/mcp-toolsets.test.ts holds the same budgets over HTTP.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { mcpToolDefinitions } from '../../src/mcp/catalog.ts';
import { TOOL_INSTRUCTIONS } from '../../src/tools/instructions.ts';
import { strictFunction } from '../../src/tools/openai-strict.ts';
import { toolCatalog, tools } from '../../src/tools/registry.ts';
import { DEFAULT_TOOLSETS } from '../../src/tools/toolsets.ts';
import type { Check } from './markdown.ts';

/**
 * Token budgets of the catalog: what a listing costs a model's context. The default listing is held
 * to 4,000, every tool to 12,000 (MCP) and 9,000 (REST, with the instructions). With 46 tools they
 * measure 11,339 and 8,512 (docs/performance.md): arguments are described only where their
 * name, type, enum and default do not already say it, and what many tools share (a space by id or
 * key, version_number, slices, body_format, allow_removal) is said once, in the instructions.
 */
const BUDGETS = { defaultMcp: 4_000, allMcp: 12_000, allRest: 9_000 };

export function catalogBench(): { figures: Record<string, unknown>; checks: Check[] } {
  const tokens = (value: unknown) => countTokens(JSON.stringify(value));
  const toolsetOf = new Map(tools.map((tool) => [tool.name, tool.toolset]));
  const definitions = mcpToolDefinitions();
  const core = definitions.filter((definition) =>
    DEFAULT_TOOLSETS.includes(toolsetOf.get(definition.name) as (typeof DEFAULT_TOOLSETS)[number]),
  );
  const catalog = toolCatalog();
  const figures = {
    tools: definitions.length,
    default_tools: core.length,
    default_mcp_tokens: tokens(core),
    all_mcp_tokens: tokens(definitions),
    instructions_tokens: countTokens(TOOL_INSTRUCTIONS),
    rest_tokens: tokens({ ...catalog, instructions: TOOL_INSTRUCTIONS }),
    rest_openai_strict_tokens: tokens({
      tools: catalog.tools.map(strictFunction),
      instructions: TOOL_INSTRUCTIONS,
    }),
    per_tool: definitions.map((definition) => ({
      name: definition.name,
      toolset: toolsetOf.get(definition.name),
      tokens: tokens(definition),
    })),
  };

  console.log('\nThe tool catalog (o200k_base tokens)');
  console.log(`  MCP tools/list, default toolsets (${core.length} tools)  ${figures.default_mcp_tokens}`);
  console.log(`  MCP tools/list, all ${definitions.length} tools            ${figures.all_mcp_tokens}`);
  console.log(`  the server's instructions              ${figures.instructions_tokens}`);
  console.log(`  GET /api/v1/tools                      ${figures.rest_tokens}`);
  console.log(`  GET /api/v1/tools?format=openai_strict ${figures.rest_openai_strict_tokens}`);

  return {
    figures,
    checks: [
      {
        budget: `MCP tools/list of the default toolsets ≤ ${BUDGETS.defaultMcp} tokens`,
        value: String(figures.default_mcp_tokens),
        holds: figures.default_mcp_tokens <= BUDGETS.defaultMcp,
      },
      {
        budget: `MCP tools/list of every tool ≤ ${BUDGETS.allMcp} tokens`,
        value: String(figures.all_mcp_tokens),
        holds: figures.all_mcp_tokens <= BUDGETS.allMcp,
      },
      {
        budget: `GET /api/v1/tools of every tool ≤ ${BUDGETS.allRest} tokens`,
        value: String(figures.rest_tokens),
        holds: figures.rest_tokens <= BUDGETS.allRest,
      },
    ],
  };
}

if (process.argv[1]?.endsWith('catalog.ts')) {
  const { checks } = catalogBench();
  console.log('\nBudgets');
  for (const check of checks)
    console.log(`  ${check.holds ? 'holds' : 'FAILS'}  ${check.budget}: ${check.value}`);
  process.exitCode = checks.every((check) => check.holds) ? 0 : 1;
}
