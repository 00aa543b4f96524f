/**
 * The Markdown converters, loaded by the first call that converts (a dynamic import): their parsers
 * (markdown-it, htmlparser2, the entity tables) are then evaluated only by isolates that convert,
 * not by every isolate at start.
 */
type Markdown = typeof import('./index.ts');
let markdown: Promise<Markdown> | undefined;

export function loadMarkdown(): Promise<Markdown> {
  markdown ??= import('./index.ts');
  return markdown;
}
