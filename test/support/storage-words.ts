import { parseStorage, type StorageNode } from '../../src/markdown/xml.ts';

/**
 * The words of a storage body's text, to check that its Markdown shows them all (the corpus test
 * and the bench): text and CDATA, but not macro parameters, task ids or an extension's fallback copy.
 */

/** Elements whose text is not the page's text: macro parameters, task ids, an extension's fallback copy. */
const NOT_TEXT = new Set([
  'ac:parameter',
  'ac:task-id',
  'ac:task-uuid',
  'ac:task-status',
  'ac:adf-attribute',
  'ac:adf-fallback',
]);

/** Elements that separate words; inline ones (strong, sub, a link) do not: H<sub>2</sub>O is one word. */
const SEPARATE =
  /^(?:p|h[1-6]|li|td|th|tr|div|pre|br|blockquote|ac:layout-cell|ac:rich-text-body|ac:plain-text-body|ac:task-body|ac:adf-content|ac:caption|ac:emoticon|ac:structured-macro|ac:image|ac:link|time)$/;

/** Every word (a run of letters and digits) of the page's text, in order. */
export function storageWords(storage: string): string[] {
  let text = '';
  const walk = (nodes: StorageNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') text += node.text;
      else if (!NOT_TEXT.has(node.name)) {
        const separate = SEPARATE.test(node.name);
        if (separate) text += ' ';
        walk(node.children);
        if (separate) text += ' ';
      }
    }
  };
  walk(parseStorage(storage));
  return wordsOf(text);
}

export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}
