/**
 * The strict catalog (`GET /api/v1/tools?format=openai_strict`) against OpenAI's strict-mode rules
 * for function parameters, as shared/mcp/FACTS.md states them: every object closed with
 * `additionalProperties: false` and every property in `required`, a limited keyword set (no
 * `default`, no length, pattern or range limits), every node typed (or a union of typed ones), the
 * root an object, names of 1–64 letters, digits, `_` or `-`. The rules are a JSON Schema here,
 * checked with Ajv; required-completeness, which JSON Schema cannot say, is checked by walking. A
 * tool whose arguments cannot keep them is served with `strict: false` (NOT_STRICT).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { strictFunction, strictSchema } from '../../src/tools/openai-strict.ts';
import { toolCatalog } from '../../src/tools/registry.ts';

const STRICT_KEYWORDS = [
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'description',
];

/** A schema node strict mode accepts. */
const STRICT_NODE = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $ref: '#/$defs/node',
  $defs: {
    node: {
      type: 'object',
      propertyNames: { enum: STRICT_KEYWORDS },
      properties: {
        type: {
          anyOf: [
            { enum: ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] },
            {
              type: 'array',
              items: { enum: ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] },
            },
          ],
        },
        properties: { type: 'object', additionalProperties: { $ref: '#/$defs/node' } },
        required: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        additionalProperties: { const: false },
        items: { $ref: '#/$defs/node' },
        anyOf: { type: 'array', minItems: 1, items: { $ref: '#/$defs/node' } },
        enum: { type: 'array', minItems: 1 },
        description: { type: 'string' },
      },
      allOf: [
        // An object is closed and lists what it has.
        {
          anyOf: [
            { not: { properties: { type: { const: 'object' } }, required: ['type'] } },
            { required: ['properties', 'required', 'additionalProperties'] },
          ],
        },
        // Every node says its type, or is a union of typed ones: OpenAI refuses a schema without
        // (400 "schema must have a 'type' key"), and with it the whole request, every tool in it.
        { anyOf: [{ required: ['type'] }, { required: ['anyOf'] }] },
      ],
    },
  },
};

/** The root of a function's parameters: an object, not a union. */
const STRICT_ROOT = {
  type: 'object',
  required: ['type', 'properties', 'required', 'additionalProperties'],
  properties: { type: { const: 'object' } },
  not: { required: ['anyOf'] },
};

const FUNCTION = {
  type: 'object',
  required: ['type', 'name', 'description', 'parameters', 'strict'],
  additionalProperties: false,
  properties: {
    type: { const: 'function' },
    name: { type: 'string', pattern: '^[a-zA-Z0-9_-]{1,64}$' },
    description: { type: 'string' },
    parameters: { type: 'object' },
    strict: { type: 'boolean' },
  },
};

/**
 * The tools strict mode cannot type, served with `strict: false`: an argument that takes any JSON
 * value (an object of any keys is never closed).
 */
const NOT_STRICT = ['set_confluence_page_property'];

const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
const isStrictNode = ajv.compile(STRICT_NODE);
const isStrictRoot = ajv.compile(STRICT_ROOT);
const isFunction = ajv.compile(FUNCTION);

/** Paths of objects whose `required` is not exactly their properties. */
function incompleteRequired(node: unknown, path = '$'): string[] {
  if (typeof node !== 'object' || node === null) return [];
  if (Array.isArray(node))
    return node.flatMap((item, index) => incompleteRequired(item, `${path}[${index}]`));
  const record = node as Record<string, unknown>;
  const problems: string[] = [];
  if (record.properties !== undefined) {
    const names = Object.keys(record.properties as object).sort();
    if (JSON.stringify(names) !== JSON.stringify([...((record.required as string[]) ?? [])].sort()))
      problems.push(path);
  }
  for (const [key, value] of Object.entries(record))
    problems.push(...incompleteRequired(value, `${path}.${key}`));
  return problems;
}

const functions = toolCatalog().tools.map((entry) => [entry.name, strictFunction(entry), entry] as const);

describe('the strict catalog', () => {
  it.each(functions)(
    '%s is an OpenAI strict function definition; its plain schema is not',
    (_name, definition, entry) => {
      // The rules bite: the catalog's own JSON Schema (open objects, defaults, limits) breaks them.
      expect(isStrictNode(entry.input_schema) && incompleteRequired(entry.input_schema).length === 0).toBe(
        false,
      );
      expect(isFunction(definition), ajv.errorsText(isFunction.errors)).toBe(true);
      expect(isStrictRoot(definition.parameters), ajv.errorsText(isStrictRoot.errors)).toBe(true);
      expect(definition.strict).toBe(!NOT_STRICT.includes(definition.name));
      // A function that is not strict breaks the rules (its reason), one that is keeps them all.
      expect(isStrictNode(definition.parameters), ajv.errorsText(isStrictNode.errors)).toBe(
        definition.strict,
      );
      expect(incompleteRequired(definition.parameters)).toEqual([]);
      // Still a valid JSON Schema that a validator compiles.
      expect(() => new Ajv2020({ strict: true }).compile(definition.parameters)).not.toThrow();
    },
  );

  it.each(functions)(
    '%s: an argument the caller may leave out is nullable; a required one is not',
    (_name, definition, entry) => {
      const required = new Set((entry.input_schema.required ?? []) as string[]);
      const validate = new Ajv2020({ strict: true }).compile(definition.parameters);
      const properties = definition.parameters.properties as Record<string, { anyOf?: { type?: string }[] }>;
      for (const [property, schema] of Object.entries(properties)) {
        const nullable = schema.anyOf?.some((branch) => branch.type === 'null') ?? false;
        expect([property, nullable]).toEqual([property, !required.has(property)]);
      }
      // A strict model's answer that leaves every optional argument out: each one null.
      const leftOut = Object.fromEntries(
        Object.keys(properties)
          .filter((name) => !required.has(name))
          .map((name) => [name, null]),
      );
      const withNull = Object.keys(leftOut).length > 0 ? leftOut : {};
      if (required.size === 0) expect(validate(withNull), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it('says in the descriptions what strict mode cannot carry: ranges, lengths, patterns and defaults', () => {
    const described = (tool: string, argument: string) => {
      const definition = functions.find(([name]) => name === tool)?.[1];
      const properties = (definition?.parameters.properties ?? {}) as Record<
        string,
        { description?: string }
      >;
      return properties[argument]?.description ?? '';
    };
    expect(described('get_confluence_spaces', 'limit')).toContain('1 to 250');
    expect(described('get_confluence_spaces', 'limit')).toContain('default 25');
    expect(described('get_confluence_page', 'page_id')).toContain('matching ^\\d+$');
  });

  it('serves a tool with an argument of any JSON value as not strict, the others of its request still strict', () => {
    const tool = (value: Record<string, unknown>) =>
      strictFunction({
        name: 'keep',
        description: 'Keeps a value.',
        input_schema: { type: 'object', properties: { key: { type: 'string' }, value }, required: ['value'] },
      });
    expect(tool({ description: 'Any JSON value.', $ref: '#/$defs/json' }).strict).toBe(false);
    expect(tool({ type: 'array', items: { description: 'Anything.' } }).strict).toBe(false);
    expect(tool({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } }).strict).toBe(
      true,
    );
  });

  it('turns a nested optional object into a closed one, its own optional fields nullable', () => {
    const converted = strictSchema({
      type: 'object',
      properties: {
        filter: {
          type: 'object',
          properties: { label: { type: 'string', maxLength: 10 }, space: { type: 'string' } },
          required: ['space'],
        },
      },
    });
    expect(converted).toEqual({
      type: 'object',
      properties: {
        filter: {
          anyOf: [
            {
              type: 'object',
              properties: {
                label: {
                  description: '(at most 10 characters)',
                  anyOf: [{ type: 'string' }, { type: 'null' }],
                },
                space: { type: 'string' },
              },
              required: ['label', 'space'],
              additionalProperties: false,
            },
            { type: 'null' },
          ],
        },
      },
      required: ['filter'],
      additionalProperties: false,
    });
    expect(isStrictNode(converted)).toBe(true);
  });
});
