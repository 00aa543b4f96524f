import { decodeHTML } from 'entities';

/**
 * Confluence refuses a storage body that is not well-formed XHTML with 400 ("Error parsing xhtml").
 * A strict check in the manner of its XML reader: every tag closed in order, attributes quoted,
 * no bare `<` or `&` in text, entities known to HTML. Returns the problem, or undefined when well-formed.
 */
export function xhtmlProblem(storage: string): string | undefined {
  const stack: string[] = [];
  const token =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<\/([A-Za-z_][\w.:-]*)\s*>|<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|&[^;\s<&]*;?/g;
  for (const match of storage.matchAll(token)) {
    const [text, close, open, attributes, selfClosing] = match;
    const at = `at offset ${match.index}`;
    if (close !== undefined) {
      const expected = stack.pop();
      if (expected !== close) {
        return `Unexpected close tag </${close}>; expected ${expected === undefined ? 'no close tag' : `</${expected}>`} ${at}`;
      }
    } else if (open !== undefined) {
      const entity = badEntity(attributes ?? '');
      if (entity) return `Unknown entity ${entity} in an attribute of <${open}> ${at}`;
      if (!selfClosing) stack.push(open);
    } else if (text === '<') {
      return `Unexpected character '<' (a tag that is not well-formed) ${at}`;
    } else if (text.startsWith('&')) {
      const entity = badEntity(text);
      if (entity) return `Unknown or unterminated entity ${entity} ${at}`;
    }
  }
  const open = stack.pop();
  return open === undefined ? undefined : `Element <${open}> is never closed`;
}

function badEntity(text: string): string | undefined {
  for (const [entity] of text.matchAll(/&[^;\s<&"']*;?/g)) {
    if (!entity.endsWith(';')) return entity;
    if (/^&#(?:\d+|x[0-9a-fA-F]+);$/.test(entity)) continue;
    if (decodeHTML(entity) === entity) return entity;
  }
  return undefined;
}
