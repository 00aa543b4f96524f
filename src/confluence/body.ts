/**
 * Page and comment bodies as Confluence stores them (storage format, an XHTML dialect).
 *
 * The rule, also stated for agents in the tools' instructions (tools/instructions.ts): a body whose first non-blank character starts a
 * tag (`<p>`, `<h1 class="x">`, `<ac:structured-macro …>`, `<br/>`, `<!-- … -->`) is HTML/storage
 * format and passes through unchanged. Anything else is plain text: HTML-escaped, split into
 * paragraphs at blank lines (each wrapped in `<p>`), with single line breaks kept as `<br/>`.
 * So "a < b" or "<3 thanks" stays text, and an agent's markup is never double-escaped.
 */
const LEADING_TAG = /^\s*<(?:[A-Za-z][\w.:-]*(?:\s[^<>]*)?\/?>|!--|!\[CDATA\[)/;

export function isMarkup(text: string): boolean {
  return LEADING_TAG.test(text);
}

export function toStorageFormat(text: string): string {
  if (isMarkup(text)) return text;
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/[ \t]*\n[ \t]*/g, '<br/>')}</p>`)
    .join('');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * The text of a storage body as a reader sees it, where an inline comment's selection must be found:
 * markup and code blocks removed, entities decoded.
 */
export function selectableText(storage: string): string {
  return storage
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    });
}

/** How many times `selection` occurs in `text`, counting non-overlapping matches. */
export function countOccurrences(text: string, selection: string): number {
  let count = 0;
  for (let at = text.indexOf(selection); at !== -1; at = text.indexOf(selection, at + selection.length))
    count++;
  return count;
}
