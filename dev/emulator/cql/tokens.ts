/** CQL's lexical layer: quoted strings (backslash escapes), words, operators, punctuation. */

export type Token =
  | { kind: 'string'; value: string; position: number }
  | { kind: 'word'; value: string; position: number }
  | { kind: 'op'; value: '=' | '!=' | '~' | '!~' | '<' | '<=' | '>' | '>='; position: number }
  | { kind: '(' | ')' | ','; position: number }
  | { kind: 'end'; position: number };

export class CqlSyntaxError extends Error {
  override name = 'CqlSyntaxError';
}

const WORD = /[A-Za-z0-9_.:\-/+]/;

export function tokenize(cql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < cql.length) {
    const ch = cql[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"' || ch === "'") {
      const start = i++;
      let value = '';
      while (i < cql.length && cql[i] !== ch) {
        // A backslash keeps the next character literally (`\"` is a quote inside the phrase).
        if (cql[i] === '\\' && i + 1 < cql.length) {
          const escaped = cql[i + 1] as string;
          value += escaped === ch || escaped === '\\' ? escaped : `\\${escaped}`;
          i += 2;
        } else {
          value += cql[i++];
        }
      }
      if (i >= cql.length) throw new CqlSyntaxError(`unterminated string at ${start}`);
      i++;
      tokens.push({ kind: 'string', value, position: start });
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch, position: i++ });
    } else if ('=!~<>'.includes(ch)) {
      const two = cql.slice(i, i + 2);
      const op = ['!=', '!~', '<=', '>='].includes(two) ? two : ch;
      if (op === '!') throw new CqlSyntaxError(`unexpected "!" at ${i}`);
      tokens.push({ kind: 'op', value: op as '=', position: i });
      i += op.length;
    } else if (WORD.test(ch)) {
      const start = i;
      while (i < cql.length && WORD.test(cql[i] as string)) i++;
      tokens.push({ kind: 'word', value: cql.slice(start, i), position: start });
    } else {
      throw new CqlSyntaxError(`unexpected "${ch}" at ${i}`);
    }
  }
  tokens.push({ kind: 'end', position: cql.length });
  return tokens;
}
