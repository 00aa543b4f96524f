import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ApiError } from '../../src/lib/errors.ts';
import { parseWith } from '../../src/lib/validation.ts';

const Arguments = z.object({ page_id: z.string(), limit: z.number().int().max(250).optional() });

function failure(input: unknown, options?: { forgiveScalars?: boolean }): ApiError {
  try {
    parseWith(Arguments, input, 'invalid_arguments', options);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('parseWith accepted the input');
}

describe('parseWith', () => {
  it('answers the parsed value of a good input', () => {
    expect(parseWith(Arguments, { page_id: '1', limit: 5 })).toEqual({ page_id: '1', limit: 5 });
  });

  it('names each bad field, what was given and what is expected', () => {
    const error = failure({ page_id: '1', limit: 500 });
    expect(error.code).toBe('invalid_arguments');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^Invalid arguments: limit: .*250.* \(got 500\)\.$/);
    expect(error.details).toEqual({ issues: [{ path: 'limit', message: expect.any(String) }] });
  });

  it('points at a near miss in case, "_" or "-" when a field is missing', () => {
    expect(failure({ pageId: '1' }).message).toMatch(
      /page_id: .*\(got nothing; you sent "pageId": did you mean "page_id"\?\)/,
    );
    expect(failure({ 'page-id': '1' }).message).toMatch(/you sent "page-id"/);
  });

  it('calls a whole bad body "(body)" and says invalid request by default', () => {
    let message = '';
    try {
      parseWith(Arguments, 'text');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid request: \(body\): /);
  });

  it('with forgiveScalars, takes an integer id for a string and a numeric string for a number', () => {
    expect(
      parseWith(Arguments, { page_id: 65538, limit: '2' }, 'invalid_arguments', { forgiveScalars: true }),
    ).toEqual({
      page_id: '65538',
      limit: 2,
    });
    // Without it, or for values that are not plain numbers, nothing is guessed.
    expect(failure({ page_id: 65538 }).message).toMatch(/page_id/);
    expect(failure({ page_id: 1.5 }, { forgiveScalars: true }).message).toMatch(/page_id/);
    expect(failure({ page_id: '1', limit: 'two' }, { forgiveScalars: true }).message).toMatch(/limit/);
  });
});
