import type * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';

/**
 * A tool an agent can call: its arguments' zod schema (validation, TypeScript type and the catalog's
 * JSON Schema all come from it), a description written for an LLM, and `run`, which calls Confluence
 * and shapes the answer. `run` returns the fields that follow `"success": true`.
 */
export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  run(args: z.output<S>, confluence: ConfluenceApi): Promise<Record<string, unknown>>;
}

/** Types a tool from its schema; the identity at runtime. */
export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool<S> {
  return tool;
}
