import * as z from 'zod';
import { loadMarkdown } from '../markdown/load.ts';

/** How the reading tools that return bodies (comments, diffs) render them: one place for both. */
export const readBodyFormat = z.enum(['markdown', 'storage']).default('markdown');

export type ReadBodyFormat = z.output<typeof readBodyFormat>;

export type BodyRenderer = (storage: string) => string;

/** Renders bodies in `format`: loads the Markdown converter first when the format needs it. */
export async function bodyRenderer(format: ReadBodyFormat): Promise<BodyRenderer> {
  if (format === 'storage') return (storage) => storage;
  const { storageToMarkdown } = await loadMarkdown();
  return storageToMarkdown;
}
