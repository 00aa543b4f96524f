import { z } from 'zod';
import { getConfluenceSpaces } from './get-confluence-spaces.ts';
import type { Tool } from './tool.ts';

/** Every tool the gateway offers, in the order the catalog lists them. */
export const tools: readonly Tool[] = [getConfluenceSpaces];

const byName = new Map(tools.map((tool) => [tool.name, tool]));

export function findTool(name: string): Tool | undefined {
  return byName.get(name);
}

export interface CatalogEntry {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

let catalog: { tools: CatalogEntry[] } | undefined;

/**
 * The catalog: each tool's JSON Schema generated from its zod schema (the arguments as a caller
 * sends them, so defaulted fields are optional), built once per isolate.
 */
export function toolCatalog(): { tools: CatalogEntry[] } {
  catalog ??= {
    tools: tools.map((tool) => {
      const { $schema: _, ...inputSchema } = z.toJSONSchema(tool.schema, { io: 'input' });
      return { name: tool.name, description: tool.description, input_schema: inputSchema };
    }),
  };
  return catalog;
}
