import * as z from 'zod';
import { toolCatalog, tools } from '../tools/registry.ts';
import type { ToolAnnotations } from '../tools/tool.ts';
import { outlineSchema, portableSchema } from './portable-schema.ts';

/** One entry of `tools/list`, as the MCP spec names its fields. */
export interface McpToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [keyword: string]: unknown };
  outputSchema?: Record<string, unknown>;
  annotations: Record<string, boolean>;
}

/**
 * What a failed call's `structuredContent` holds: `{error: {code, message, retryable, …}}`, the REST
 * error without `success`. Every outputSchema admits it, because a client (the v1 SDK's among them)
 * checks `structuredContent` against the outputSchema even on an `isError` result. Its fields are
 * said once, in the server's instructions.
 */
const ERROR_RESULT_SCHEMA = { required: ['error'] };

/**
 * How deep tools/list outlines a result (portable-schema.ts): a result's own fields, typed. One level
 * deeper would list each page's and comment's fields too, and cost the default listing about 2,000
 * more tokens than its budget of 4,000 (test/e2e/mcp-toolsets.test.ts).
 */
const OUTLINE_DEPTH = 1;

let definitions: McpToolDefinition[] | undefined;

/**
 * The `tools/list` answer, generated from the registry once per isolate: converting the zod schemas
 * costs milliseconds, and every MCP request builds a fresh server, so nothing may convert them per
 * request. The input schemas are the very objects `GET /api/v1/tools` serves.
 */
export function mcpToolDefinitions(): McpToolDefinition[] {
  if (definitions) return definitions;
  const inputSchemas = new Map(toolCatalog().tools.map((entry) => [entry.name, entry.input_schema]));
  definitions = tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputSchemas.get(tool.name) as McpToolDefinition['inputSchema'],
    ...(tool.output && { outputSchema: outputSchema(tool.output) }),
    annotations: withoutDefaults(tool.annotations),
  }));
  return definitions;
}

/**
 * A tool's result schema, or the error shape; the root stays an object, as 2025-era clients require.
 * Objects stay open to fields the schema does not name: a field added to a result is no breaking
 * change for REST callers, and must not make an MCP client reject the result either. (The tests
 * hold each result to the closed schema, so every field is described.) Outlined and written in the
 * portable dialect (portable-schema.ts).
 */
function outputSchema(output: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...success } = z.toJSONSchema(output, {
    io: 'output',
    override: ({ jsonSchema }) => {
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
  return {
    type: 'object',
    anyOf: [portableSchema(outlineSchema(success, OUTLINE_DEPTH)), ERROR_RESULT_SCHEMA],
  };
}

/**
 * The annotations that say something: the spec's defaults (openWorldHint true, idempotentHint false)
 * go unsaid, as every client assumes them. destructiveHint is always said for a write, whose default
 * (true) would be wrong for most.
 */
function withoutDefaults(annotations: ToolAnnotations): Record<string, boolean> {
  const { openWorldHint, idempotentHint, ...said } = annotations;
  return {
    ...said,
    ...(openWorldHint === false && { openWorldHint }),
    ...(idempotentHint === true && { idempotentHint }),
  };
}
