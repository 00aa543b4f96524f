/**
 * `text ~` / `title ~` matching: every term must occur (a plain term also matches longer words,
 * a cheap stand-in for Confluence's stemming), every quoted phrase must occur verbatim, and
 * `*` / `?` wildcards work inside a term but not as its first character.
 */
import { CqlSyntaxError } from './tokens.ts';

/** A plain term matches words starting with it; a wildcard term is a whole-word pattern. */
export type Term = { prefix: string } | { pattern: RegExp };

export interface TextQuery {
  phrases: string[];
  terms: Term[];
  /** Lower-cased words and phrases, for highlighting excerpts. */
  highlights: string[];
}

const WORD_CHARS = '[\\p{L}\\p{N}_]';
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function parseTextQuery(value: string): TextQuery {
  const phrases: string[] = [];
  const rest = value.replace(/"([^"]*)"/g, (_m, phrase: string) => {
    const normalised = phrase.toLowerCase().replace(/\s+/g, ' ').trim();
    if (normalised) phrases.push(normalised);
    return ' ';
  });
  const words = rest
    .toLowerCase()
    .split(/[^\p{L}\p{N}_*?]+/u)
    .filter(Boolean);
  const terms = words.map((word): Term => {
    if (word.startsWith('*') || word.startsWith('?')) {
      throw new CqlSyntaxError(`a wildcard cannot start a term ("${word}")`);
    }
    if (!/[*?]/.test(word)) return { prefix: word };
    const pattern = word
      .split('')
      .map((ch) => (ch === '*' ? `${WORD_CHARS}*` : ch === '?' ? WORD_CHARS : escapeRegex(ch)))
      .join('');
    return { pattern: new RegExp(`^${pattern}$`, 'u') };
  });
  if (!phrases.length && !terms.length) throw new CqlSyntaxError('empty text query');
  return { phrases, terms, highlights: [...phrases, ...words.map((w) => w.replace(/[*?].*$/, ''))] };
}

/** A document's text prepared once: its distinct lower-case words and its normalised text. */
export interface IndexedText {
  words: Set<string>;
  normalised: string;
}

export function indexText(text: string): IndexedText {
  const normalised = text.toLowerCase().replace(/\s+/g, ' ');
  return { words: new Set(normalised.match(/[\p{L}\p{N}_]+/gu) ?? []), normalised };
}

export function matchesText(query: TextQuery, indexed: IndexedText): boolean {
  for (const phrase of query.phrases) if (!indexed.normalised.includes(phrase)) return false;
  for (const term of query.terms) {
    if ('prefix' in term && indexed.words.has(term.prefix)) continue;
    let found = false;
    for (const word of indexed.words) {
      if ('prefix' in term ? word.startsWith(term.prefix) : term.pattern.test(word)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}
