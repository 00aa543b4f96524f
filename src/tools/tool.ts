import type * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';

/**
 * Hints for clients about what a tool does (MCP tool annotations). They drive confirmation prompts
 * and policy (`readOnlyHint` separates reads from writes); they are not a security boundary alone.
 */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * A tool an agent can call: its arguments' zod schema (validation, TypeScript type and the catalog's
 * JSON Schema all come from it), a title and a description written for an LLM, annotations, the
 * zod schema of its result, and `run`, which calls Confluence and shapes the answer. `run` returns
 * the fields that follow `"success": true`. Both doors (REST and MCP) are generated from this one
 * definition.
 *
 * `output` is optional only so that a tool can be written before its result schema; every tool
 * should have one. MCP clients read it as the tool's `outputSchema` and check each result against
 * it (the v1 SDK client rejects a result with a field the schema does not name), so it must
 * describe every field `run` can return. The MCP tests check each tool's results against it.
 */
export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  schema: S;
  output?: z.ZodType;
  annotations: ToolAnnotations;
  run(args: z.output<S>, confluence: ConfluenceApi): Promise<Record<string, unknown>>;
}

/** Types a tool from its schema; the identity at runtime. */
export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool<S> {
  return tool;
}
