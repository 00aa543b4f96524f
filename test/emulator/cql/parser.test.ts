import { describe, expect, it } from 'vitest';
import { parseCql } from '../../../dev/emulator/cql/parser.ts';
import { CqlSyntaxError } from '../../../dev/emulator/cql/tokens.ts';

describe('CQL parser', () => {
  it('binds AND tighter than OR, and parentheses override', () => {
    expect(parseCql('space = A OR space = B AND type = page').where).toMatchObject({
      kind: 'or',
      right: { kind: 'and' },
    });
    expect(parseCql('(space = A OR space = B) AND type = page').where).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
    });
  });

  it('reads IN and NOT IN lists, NOT, and functions with arguments', () => {
    const query = parseCql('NOT space in (A, "B C") and created > now("-7d") and label not in (x)');
    expect(JSON.stringify(query.where)).toContain('"operator":"in"');
    expect(JSON.stringify(query.where)).toContain('"operator":"not in"');
    expect(JSON.stringify(query.where)).toContain('{"kind":"function","name":"now","args":["-7d"]}');
  });

  it('unescapes backslash-escaped quotes inside a phrase', () => {
    const query = parseCql('text ~ "say \\"hello\\" twice"');
    expect(query.where).toMatchObject({ values: [{ kind: 'literal', value: 'say "hello" twice' }] });
  });

  it('reads order by with several fields and directions', () => {
    expect(parseCql('type = page order by lastModified desc, title').orderBy).toEqual([
      { field: 'lastmodified', direction: 'desc' },
      { field: 'title', direction: 'asc' },
    ]);
  });

  it('is case-insensitive for keywords and field names', () => {
    expect(() => parseCql('TYPE = page And SPACE = x Order By Created ASC')).not.toThrow();
  });

  it.each([
    'text ~',
    'text ~ "unterminated',
    'space = A AND',
    'unknownfield = x',
    'text = "equals is not allowed on text"',
    'created ~ "2026-01-01"',
    '(space = A',
    'space in ()',
    'title ~ *wild',
    'order by title',
  ])('refuses %j', (cql) => {
    expect(() => parseCql(cql)).toThrow(CqlSyntaxError);
  });
});
