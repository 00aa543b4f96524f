import * as z from 'zod';
import { toolCatalog, tools } from '../tools/registry.ts';

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
 * What a failed call's `structuredContent` holds: the REST error without `success`. Every
 * outputSchema admits it, because a client (the v1 SDK's among them) checks `structuredContent`
 * against the outputSchema even on an `isError` result.
 */
const ERROR_RESULT_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        retryable: { type: 'boolean' },
        retry_after_seconds: { type: 'number' },
      },
      required: ['code', 'message', 'retryable'],
    },
  },
  required: ['error'],
};

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
    annotations: { ...tool.annotations },
  }));
  return definitions;
}

/**
 * A tool's result schema, or the error shape; the root stays an object, as 2025-era clients require.
 * Objects stay open to fields the schema does not name: a field added to a result is no breaking
 * change for REST callers, and must not make an MCP client reject the result either. (The tests
 * hold each result to the closed schema, so every field is described.)
 */
function outputSchema(output: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...success } = z.toJSONSchema(output, {
    io: 'output',
    override: ({ jsonSchema }) => {
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  });
  return { type: 'object', anyOf: [success, ERROR_RESULT_SCHEMA] };
}
