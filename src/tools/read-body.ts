import * as z from 'zod';
import { storageToMarkdown } from '../markdown/index.ts';

/** How the reading tools that return bodies (comments, diffs) render them: one place for both. */
export const readBodyFormat = z
  .enum(['markdown', 'storage'])
  .default('markdown')
  .describe(
    'How bodies are returned: "markdown" (default: compact and readable) or "storage" (Confluence XHTML, as stored).',
  );

export type ReadBodyFormat = z.output<typeof readBodyFormat>;

export function renderBody(storage: string, format: ReadBodyFormat): string {
  return format === 'markdown' ? storageToMarkdown(storage) : storage;
}
