import * as z from 'zod';
import { addConfluenceComment } from './add-confluence-comment.ts';
import { createConfluencePage } from './create-confluence-page.ts';
import { getConfluencePage } from './get-confluence-page.ts';
import { getConfluenceSpacePages } from './get-confluence-space-pages.ts';
import { getConfluenceSpaces } from './get-confluence-spaces.ts';
import { searchConfluencePages } from './search-confluence-pages.ts';
import type { Tool } from './tool.ts';
import { updateConfluencePage } from './update-confluence-page.ts';
import { updateConfluencePageSection } from './update-confluence-page-section.ts';

/** Every tool the gateway offers, in the order the catalog lists them. */
export const tools: readonly Tool[] = [
  getConfluenceSpaces,
  getConfluenceSpacePages,
  searchConfluencePages,
  getConfluencePage,
  createConfluencePage,
  updateConfluencePage,
  updateConfluencePageSection,
  addConfluenceComment,
];

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
