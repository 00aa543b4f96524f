import * as z from 'zod';
import { addConfluenceComment } from './add-confluence-comment.ts';
import { addConfluenceInlineComment } from './add-confluence-inline-comment.ts';
import { addConfluenceLabels } from './add-confluence-labels.ts';
import { addConfluencePageRestriction } from './add-confluence-page-restriction.ts';
import { chatgptFetch } from './chatgpt-fetch.ts';
import { chatgptSearch } from './chatgpt-search.ts';
import { compareConfluencePageVersions } from './compare-confluence-page-versions.ts';
import { copyConfluencePage } from './copy-confluence-page.ts';
import { createConfluenceBlogpost } from './create-confluence-blogpost.ts';
import { createConfluenceFolder } from './create-confluence-folder.ts';
import { createConfluencePage } from './create-confluence-page.ts';
import { createConfluencePageFromTemplate } from './create-confluence-page-from-template.ts';
import { createConfluenceWhiteboardOrDatabase } from './create-confluence-whiteboard-or-database.ts';
import { deleteConfluencePage } from './delete-confluence-page.ts';
import { deleteConfluencePageProperty } from './delete-confluence-page-property.ts';
import { deleteConfluenceWhiteboardOrDatabase } from './delete-confluence-whiteboard-or-database.ts';
import { getConfluenceAttachmentContent } from './get-confluence-attachment-content.ts';
import { getConfluenceAttachments } from './get-confluence-attachments.ts';
import { getConfluenceBlogpost } from './get-confluence-blogpost.ts';
import { getConfluenceComments } from './get-confluence-comments.ts';
import { getConfluenceFolder } from './get-confluence-folder.ts';
import { getConfluencePage } from './get-confluence-page.ts';
import { getConfluencePageAncestors } from './get-confluence-page-ancestors.ts';
import { getConfluencePageChildren } from './get-confluence-page-children.ts';
import { getConfluencePageHistory } from './get-confluence-page-history.ts';
import { getConfluencePageProperties } from './get-confluence-page-properties.ts';
import { getConfluencePageRestrictions } from './get-confluence-page-restrictions.ts';
import { getConfluenceSpaceBlogposts } from './get-confluence-space-blogposts.ts';
import { getConfluenceSpacePages } from './get-confluence-space-pages.ts';
import { getConfluenceSpaces } from './get-confluence-spaces.ts';
import { getConfluenceTasks } from './get-confluence-tasks.ts';
import { getConfluenceTemplates } from './get-confluence-templates.ts';
import { getConfluenceWhiteboardOrDatabase } from './get-confluence-whiteboard-or-database.ts';
import { moveConfluencePage } from './move-confluence-page.ts';
import { removeConfluenceLabel } from './remove-confluence-label.ts';
import { removeConfluencePageRestriction } from './remove-confluence-page-restriction.ts';
import { resolveConfluenceInlineComment } from './resolve-confluence-inline-comment.ts';
import { restoreConfluencePageVersion } from './restore-confluence-page-version.ts';
import { searchConfluencePages } from './search-confluence-pages.ts';
import { searchConfluenceUsers } from './search-confluence-users.ts';
import { setConfluencePageProperty } from './set-confluence-page-property.ts';
import type { Tool } from './tool.ts';
import type { Toolset } from './toolsets.ts';
import { updateConfluenceBlogpost } from './update-confluence-blogpost.ts';
import { updateConfluencePage } from './update-confluence-page.ts';
import { updateConfluencePageSection } from './update-confluence-page-section.ts';
import { updateConfluenceTask } from './update-confluence-task.ts';
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
  // Blog posts
  getConfluenceSpaceBlogposts,
  getConfluenceBlogpost,
  createConfluenceBlogpost,
  updateConfluenceBlogpost,
  // Content properties
  getConfluencePageProperties,
  setConfluencePageProperty,
  deleteConfluencePageProperty,
  // Tasks
  getConfluenceTasks,
  updateConfluenceTask,
  // Inline comment threads
  resolveConfluenceInlineComment,
  // Compositions of reads and writes
  restoreConfluencePageVersion,
  copyConfluencePage,
  // Folders, whiteboards and databases
  getConfluenceFolder,
  createConfluenceFolder,
  getConfluenceWhiteboardOrDatabase,
  createConfluenceWhiteboardOrDatabase,
  deleteConfluenceWhiteboardOrDatabase,
  // Templates (v1)
  getConfluenceTemplates,
  createConfluencePageFromTemplate,
  // Restrictions (v1)
  getConfluencePageRestrictions,
  addConfluencePageRestriction,
  removeConfluencePageRestriction,
  // ChatGPT's connector pair, in the shapes ChatGPT requires
  chatgptSearch,
  chatgptFetch,
];

const byName = new Map(tools.map((tool) => [tool.name, tool]));

export function findTool(name: string): Tool | undefined {
  return byName.get(name);
}

export interface CatalogEntry {
  name: string;
  toolset: Toolset;
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
      const { $schema: _, ...inputSchema } = z.toJSONSchema(tool.schema, {
        io: 'input',
        // An integer's safe-integer bounds are what JSON numbers allow anyway: noise in every schema.
        override: ({ jsonSchema }) => {
          if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
          if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
        },
      });
      return {
        name: tool.name,
        toolset: tool.toolset,
        description: tool.description,
        input_schema: inputSchema,
      };
    }),
  };
  return catalog;
}
