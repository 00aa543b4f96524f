/**
 * Storage format ⇄ Markdown. Tools read with storageToMarkdown, write new bodies with
 * markdownToStorage, and rewrite existing ones with mergeMarkdown, which keeps what Markdown cannot
 * express byte for byte and reports what a body would lose.
 */
export { describeLoss, type Lost } from './loss.ts';
export { type MergeResult, mergeMarkdown } from './round-trip.ts';
export { matchSections, readSections, type Section, sectionsOf } from './sections.ts';
export { type Omitted, readMarkdown, storageToMarkdown } from './to-markdown.ts';
export { markdownToStorage } from './to-storage.ts';
