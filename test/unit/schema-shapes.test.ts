/**
 * The pure pieces behind the catalog's and the calls' shapes: nullable fields written as anyOf,
 * result schemas outlined for tools/list, and null read as absent for optional arguments.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { outlineSchema, portableSchema } from '../../src/mcp/portable-schema.ts';
import { withoutNullOptionals } from '../../src/tools/null-arguments.ts';

describe('portableSchema', () => {
  it('writes a nullable type as anyOf branches, constraints on the typed branch, the description outside', () => {
    expect(portableSchema({ type: ['string', 'null'], maxLength: 5, description: 'A name.' })).toEqual({
      description: 'A name.',
      anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }],
    });
  });

  it('reaches nested properties and items, and leaves enums and required lists alone', () => {
    const schema = {
      type: 'object',
      properties: {
        pages: {
          type: 'array',
          items: { type: 'object', properties: { url: { type: ['string', 'null'] } } },
        },
      },
      required: ['type'],
      enum: [['a', 'b']],
    };
    expect(portableSchema(schema)).toEqual({
      type: 'object',
      properties: {
        pages: {
          type: 'array',
          items: { type: 'object', properties: { url: { anyOf: [{ type: 'string' }, { type: 'null' }] } } },
        },
      },
      required: ['type'],
      enum: [['a', 'b']],
    });
  });
});

describe('outlineSchema', () => {
  const result = {
    type: 'object',
    description: 'dropped',
    properties: {
      page: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      pages: {
        type: 'array',
        items: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      },
      format: { type: 'string', enum: ['storage', 'markdown'] },
    },
    required: ['page'],
  };

  it('keeps the fields down to the depth, typed, with their enums; deeper objects are just objects', () => {
    expect(outlineSchema(result, 1)).toEqual({
      type: 'object',
      properties: {
        page: { type: 'object' },
        pages: { type: 'array', items: { type: 'object' } },
        format: { type: 'string', enum: ['storage', 'markdown'] },
      },
      required: ['page'],
    });
  });

  it('keeps everything, descriptions aside, when deep enough', () => {
    const { description: _, ...rest } = result;
    expect(outlineSchema(result, 5)).toEqual(rest);
  });
});

describe('withoutNullOptionals', () => {
  const schema = z.object({
    page_id: z.string(),
    limit: z.number().default(25),
    cursor: z.string().optional(),
    parent_id: z.string().nullable().optional(),
    filter: z.object({ label: z.string().optional(), space: z.string() }).optional(),
    items: z.array(z.object({ note: z.string().optional() })).optional(),
  });

  it('drops null for an optional or defaulted argument, at any depth', () => {
    expect(
      withoutNullOptionals(schema, {
        page_id: '1',
        limit: null,
        cursor: null,
        filter: { label: null, space: 'ENG' },
        items: [{ note: null }, { note: 'kept' }],
      }),
    ).toEqual({ page_id: '1', filter: { space: 'ENG' }, items: [{}, { note: 'kept' }] });
  });

  it('keeps null where it means something, or where the argument is required (then refused)', () => {
    const args = { page_id: null, parent_id: null, filter: { space: null } };
    expect(withoutNullOptionals(schema, args)).toEqual(args);
  });

  it('returns the very object when there is nothing to drop', () => {
    const args = { page_id: '1', limit: 5 };
    expect(withoutNullOptionals(schema, args)).toBe(args);
  });

  it('reads through refinements of the object', () => {
    const refined = z.object({ a: z.string().optional() }).superRefine(() => {});
    expect(withoutNullOptionals(refined, { a: null })).toEqual({});
  });
});
