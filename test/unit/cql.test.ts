import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/errors.ts';
import { confineCql } from '../../src/policy/cql.ts';

/** The refusal confineCql throws for `cql`, as its code and message. */
function refusalOf(cql: string): { code: string; message: string } {
  try {
    confineCql(cql, ['ENG']);
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`confineCql accepted ${cql}`);
}

describe('confineCql', () => {
  it('wraps the condition in parentheses after the space clause, quoting each key', () => {
    expect(confineCql('type = page', ['ENG', 'OPS'])).toBe('space in ("ENG","OPS") AND (type = page)');
  });

  it('keeps a trailing order by outside the parentheses', () => {
    expect(confineCql('text ~ "deploy" order by lastmodified desc, title', ['ENG'])).toBe(
      'space in ("ENG") AND (text ~ "deploy") order by lastmodified desc, title',
    );
  });

  it('reads parentheses and "order by" inside a quoted phrase as text', () => {
    expect(confineCql('title ~ "a) OR (b order by x"', ['ENG'])).toBe(
      'space in ("ENG") AND (title ~ "a) OR (b order by x")',
    );
    expect(confineCql("title ~ 'it\\'s'", ['ENG'])).toBe("space in (\"ENG\") AND (title ~ 'it\\'s')");
  });

  it('does not take "order by" inside a longer word for the sort clause', () => {
    expect(confineCql('label = reorder by', ['ENG'])).toBe('space in ("ENG") AND (label = reorder by)');
  });

  it('refuses a closing parenthesis that would escape the wrapper', () => {
    const refusal = refusalOf('type = page) OR (space = SECRET');
    expect(refusal.code).toBe('invalid_arguments');
    expect(refusal.message).toMatch(/closes a parenthesis that was never opened/);
  });

  it('refuses unclosed parentheses and phrases, saying what to add', () => {
    expect(refusalOf('(type = page').message).toMatch(/1 parenthesis is not closed/);
    expect(refusalOf('((type = page').message).toMatch(/2 parenthes\w+ are not closed/);
    expect(refusalOf('title ~ "open').message).toMatch(/add the closing "/);
  });

  it('refuses a backslash outside a phrase or before anything but a quote', () => {
    expect(refusalOf('title ~ a\\)').message).toMatch(/backslash is only allowed inside a quoted phrase/);
    expect(refusalOf('title ~ "a\\\\" ) OR (x = "').message).toMatch(/may only escape a quote/);
  });

  it('refuses an order by with anything but sort fields, or with no condition before it', () => {
    expect(refusalOf('type = page order by title) OR (x = y').message).toMatch(/closes a parenthesis/);
    expect(refusalOf('type = page order by title OR space = X').message).toMatch(/must come last/);
    expect(refusalOf('order by title').message).toMatch(/no condition before "order by"/);
  });
});
