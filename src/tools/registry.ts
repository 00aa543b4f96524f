import * as z from 'zod';
import { addConfluenceComment } from './add-confluence-comment.ts';
import { addConfluenceInlineComment } from './add-confluence-inline-comment.ts';
import { addConfluenceLabels } from './add-confluence-labels.ts';
import { compareConfluencePageVersions } from './compare-confluence-page-versions.ts';
import { createConfluencePage } from './create-confluence-page.ts';
import { deleteConfluencePage } from './delete-confluence-page.ts';
import { getConfluenceAttachmentContent } from './get-confluence-attachment-content.ts';
import { getConfluenceAttachments } from './get-confluence-attachments.ts';
import { getConfluenceComments } from './get-confluence-comments.ts';
import { getConfluencePage } from './get-confluence-page.ts';
import { getConfluencePageAncestors } from './get-confluence-page-ancestors.ts';
import { getConfluencePageChildren } from './get-confluence-page-children.ts';
import { getConfluencePageHistory } from './get-confluence-page-history.ts';
import { getConfluenceSpacePages } from './get-confluence-space-pages.ts';
import { getConfluenceSpaces } from './get-confluence-spaces.ts';
import { moveConfluencePage } from './move-confluence-page.ts';
import { removeConfluenceLabel } from './remove-confluence-label.ts';
import { searchConfluencePages } from './search-confluence-pages.ts';
import { searchConfluenceUsers } from './search-confluence-users.ts';
import type { Tool } from './tool.ts';
import { updateConfluencePage } from './update-confluence-page.ts';
import { updateConfluencePageSection } from './update-confluence-page-section.ts';
import { uploadConfluenceAttachment } from './upload-confluence-attachment.ts';

/** Every tool the gateway offers, in the order the catalog lists them. */
export const tools: readonly Tool[] = [
  // Finding and reading
  getConfluenceSpaces,
  getConfluenceSpacePages,
  searchConfluencePages,
  getConfluencePage,
  getConfluencePageChildren,
  getConfluencePageAncestors,
  getConfluenceComments,
  getConfluencePageHistory,
  compareConfluencePageVersions,
  getConfluenceAttachments,
  getConfluenceAttachmentContent,
  searchConfluenceUsers,
  // Writing
  createConfluencePage,
  updateConfluencePage,
  updateConfluencePageSection,
  addConfluenceComment,
  addConfluenceInlineComment,
  addConfluenceLabels,
  removeConfluenceLabel,
  uploadConfluenceAttachment,
  moveConfluencePage,
  deleteConfluencePage,
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
