import * as z from 'zod';

/**
 * Result schemas several tools share: each tool's `output` (its MCP outputSchema) is built from
 * them. A field the gateway always sets is required (null when Confluence has no value); a field
 * passed on from Confluence as it came is optional, so a sparse upstream answer still conforms.
 */

/** `pageFields` (page-fields.ts): what every page in an answer carries. */
export const pageFieldsOutput = {
  id: z.string(),
  status: z.string().optional(),
  title: z.string().optional(),
  space_id: z.string().optional(),
  parent_id: z.string().nullable(),
  parent_type: z.string().nullable(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  url: z.string().nullable().describe('The page in the Confluence web UI (absolute URL).'),
};

/** `pagingFields` (confluence/paging.ts). */
export const pagingOutput = {
  has_more: z.boolean(),
  next_cursor: z.string().optional().describe('Pass as cursor to get the next page of results.'),
};

/** A page an agent just wrote: its new version number and Confluence's links. */
export const writtenPageOutput = z.object({
  page: z.object({
    ...pageFieldsOutput,
    version: z.number().optional(),
    _links: z.record(z.string(), z.string()),
  }),
  message: z.string(),
});
