import type * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import type { Toolset } from './toolsets.ts';

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
 * The four kinds of tool there are, by their annotations. Every tool reaches Confluence, another
 * system (openWorldHint); a write either adds something each time it is repeated, sets a state that
 * a repeat leaves as it is (idempotentHint), or removes (destructiveHint: delete_confluence_page).
 */
export const ANNOTATIONS = {
  read: { readOnlyHint: true, openWorldHint: true },
  write: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  idempotentWrite: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  destructiveWrite: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
  /** Removes something, and doing it twice leaves the same state (a delete, a revoked permission). */
  destructiveIdempotentWrite: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: true,
  },
} as const satisfies Record<string, ToolAnnotations>;

/**
 * A tool an agent can call: its arguments' zod schema (validation, TypeScript type and the catalog's
 * JSON Schema all come from it), a title and a description written for an LLM, annotations, the
 * zod schema of its result, the toolset it belongs to (toolsets.ts), and `run`, which calls
 * Confluence and shapes the answer. `run` returns the fields that follow `"success": true`. Both
 * doors (REST and MCP) are generated from this one definition.
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
  /** The one set it is listed and selected with (`?toolsets=`, `policy.toolsets`). */
  toolset: Toolset;
  readonly schema: S;
  readonly output?: z.ZodType;
  annotations: ToolAnnotations;
  run(args: z.output<S>, confluence: ConfluenceApi): Promise<Record<string, unknown>>;
}

/**
 * A tool as its module writes it: the schemas as functions that build them. Building zod schemas
 * is the largest part of evaluating the tools' modules, and every new isolate would pay it for all
 * tools at start; a call needs one tool's arguments schema, and only the MCP catalog needs the
 * output schemas.
 */
export interface ToolDefinition<S extends z.ZodType> extends Omit<Tool<S>, 'schema' | 'output'> {
  schema: () => S;
  output?: () => z.ZodType;
}

/** The tool of a definition: each schema is built the first time it is read, then kept. */
export function defineTool<S extends z.ZodType>({ schema, output, ...rest }: ToolDefinition<S>): Tool<S> {
  let built: S | undefined;
  let builtOutput: z.ZodType | undefined;
  return {
    ...rest,
    get schema() {
      built ??= schema();
      return built;
    },
    get output() {
      if (output) builtOutput ??= output();
      return builtOutput;
    },
  };
}
