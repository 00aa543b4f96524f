/** CQL by recursive descent: `or := and (OR and)*`, `and := not (AND not)*`, `not := NOT not | ( or ) | clause`. */
import { CqlSyntaxError, type Token, tokenize } from './tokens.ts';

export type CqlValue =
  | { kind: 'literal'; value: string }
  | { kind: 'function'; name: string; args: string[] };

export type CqlExpression =
  | { kind: 'and' | 'or'; left: CqlExpression; right: CqlExpression }
  | { kind: 'not'; operand: CqlExpression }
  | { kind: 'clause'; field: CqlField; operator: CqlOperator; values: CqlValue[] };

export type CqlOperator = '=' | '!=' | '~' | '!~' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

export interface CqlQuery {
  where: CqlExpression;
  orderBy: Array<{ field: CqlField; direction: 'asc' | 'desc' }>;
}

/** Fields the emulator understands, each with the operators CQL allows on it. */
const FIELDS = {
  text: ['~', '!~'],
  title: ['~', '!~', '=', '!=', 'in', 'not in'],
  space: ['=', '!=', 'in', 'not in'],
  type: ['=', '!=', 'in', 'not in'],
  label: ['=', '!=', 'in', 'not in'],
  id: ['=', '!=', 'in', 'not in'],
  ancestor: ['=', '!=', 'in', 'not in'],
  parent: ['=', '!=', 'in', 'not in'],
  creator: ['=', '!=', 'in', 'not in'],
  created: ['=', '!=', '<', '<=', '>', '>='],
  lastmodified: ['=', '!=', '<', '<=', '>', '>='],
} as const satisfies Record<string, readonly CqlOperator[]>;

export type CqlField = keyof typeof FIELDS;

const FIELD_ALIASES: Record<string, CqlField> = {
  'space.key': 'space',
  'content.id': 'id',
  'content.type': 'type',
};

function toField(word: string): CqlField {
  const lower = word.toLowerCase();
  const field = FIELD_ALIASES[lower] ?? lower;
  if (!Object.hasOwn(FIELDS, field)) throw new CqlSyntaxError(`unsupported field "${word}"`);
  return field as CqlField;
}

class Parser {
  #tokens: Token[];
  #at = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): CqlQuery {
    const where = this.#or();
    const orderBy: CqlQuery['orderBy'] = [];
    if (this.#keyword('order')) {
      this.#expectKeyword('by');
      do {
        const field = toField(this.#expect('word').value);
        const descending = this.#keyword('desc');
        if (!descending) this.#keyword('asc');
        const direction = descending ? 'desc' : 'asc';
        orderBy.push({ field, direction });
      } while (this.#take(','));
    }
    this.#expect('end');
    return { where, orderBy };
  }

  #or(): CqlExpression {
    let left = this.#and();
    while (this.#keyword('or')) left = { kind: 'or', left, right: this.#and() };
    return left;
  }

  #and(): CqlExpression {
    let left = this.#not();
    while (this.#keyword('and')) left = { kind: 'and', left, right: this.#not() };
    return left;
  }

  #not(): CqlExpression {
    if (this.#keyword('not')) return { kind: 'not', operand: this.#not() };
    if (this.#take('(')) {
      const inner = this.#or();
      this.#expect(')');
      return inner;
    }
    return this.#clause();
  }

  #clause(): CqlExpression {
    const field = toField(this.#expect('word').value);
    let operator: CqlOperator;
    let values: CqlValue[];
    if (this.#keyword('not')) {
      this.#expectKeyword('in');
      operator = 'not in';
      values = this.#list();
    } else if (this.#keyword('in')) {
      operator = 'in';
      values = this.#list();
    } else {
      operator = this.#expect('op').value;
      values = [this.#value()];
    }
    if (!(FIELDS[field] as readonly string[]).includes(operator)) {
      throw new CqlSyntaxError(`operator "${operator}" is not supported for field "${field}"`);
    }
    return { kind: 'clause', field, operator, values };
  }

  #list(): CqlValue[] {
    this.#expect('(');
    const values = [this.#value()];
    while (this.#take(',')) values.push(this.#value());
    this.#expect(')');
    return values;
  }

  #value(): CqlValue {
    const token = this.#next();
    if (token.kind === 'string') return { kind: 'literal', value: token.value };
    if (token.kind !== 'word' || /^(and|or|not|in|order)$/i.test(token.value)) {
      throw new CqlSyntaxError(`expected a value at ${token.position}`);
    }
    if (!this.#take('(')) return { kind: 'literal', value: token.value };
    const args: string[] = [];
    if (!this.#take(')')) {
      do {
        const arg = this.#next();
        if (arg.kind !== 'string' && arg.kind !== 'word')
          throw new CqlSyntaxError(`bad argument at ${arg.position}`);
        args.push(arg.value);
      } while (this.#take(','));
      this.#expect(')');
    }
    return { kind: 'function', name: token.value, args };
  }

  #peek(): Token {
    return this.#tokens[this.#at] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#at++;
    return token;
  }

  #take(kind: '(' | ')' | ','): boolean {
    if (this.#peek().kind !== kind) return false;
    this.#at++;
    return true;
  }

  #keyword(word: string): boolean {
    const token = this.#peek();
    if (token.kind !== 'word' || token.value.toLowerCase() !== word) return false;
    this.#at++;
    return true;
  }

  #expectKeyword(word: string): void {
    if (!this.#keyword(word)) throw new CqlSyntaxError(`expected "${word}" at ${this.#peek().position}`);
  }

  #expect<K extends Token['kind']>(kind: K): Extract<Token, { kind: K }> {
    const token = this.#next();
    if (token.kind !== kind) throw new CqlSyntaxError(`expected ${kind} at ${token.position}`);
    return token as Extract<Token, { kind: K }>;
  }
}

/** Parses CQL; throws `CqlSyntaxError` for anything Confluence would refuse to parse. */
export function parseCql(cql: string): CqlQuery {
  return new Parser(tokenize(cql)).parse();
}
