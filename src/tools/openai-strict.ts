/**
 * A tool's input schema as an OpenAI strict function definition (`GET /api/v1/tools?format=openai_strict`).
 * Strict mode guarantees the model's arguments match the schema, but only for a subset of JSON
 * Schema: every object closed (`additionalProperties: false`) with every property in `required`, no
 * `default`, and no length, pattern or range limits. So an optional argument becomes required and
 * nullable (the gateway reads null as absent), and each dropped limit is said in the argument's
 * description, where the model still reads it; the gateway enforces them all as before.
 *
 * Strict mode also needs every node typed, and cannot type an argument that takes any JSON value
 * (set_confluence_page_property's `value`: an object of any keys is never closed). OpenAI refuses
 * such a schema, and with it the whole request; so that tool comes with `strict: false`, its
 * arguments otherwise in the same form, and the other tools of the request stay strict.
 */

type JsonSchema = Record<string, unknown>;

export interface StrictFunction {
  type: 'function';
  name: string;
  description: string;
  parameters: JsonSchema;
  /** false for a tool whose arguments strict mode cannot type (see above). */
  strict: boolean;
}

/** The keywords a strict schema keeps; everything else is dropped (and limits are described). */
const KEPT = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'description',
]);

export function strictFunction(entry: {
  name: string;
  description: string;
  input_schema: JsonSchema;
}): StrictFunction {
  const parameters = strictSchema(entry.input_schema);
  return {
    type: 'function',
    name: entry.name,
    description: entry.description,
    parameters,
    strict: everyNodeTyped(parameters),
  };
}

/** Whether each node of a strict schema says its type or is a union of nodes that do. */
function everyNodeTyped(schema: JsonSchema): boolean {
  if (schema.anyOf !== undefined) return (schema.anyOf as JsonSchema[]).every(everyNodeTyped);
  if (schema.type === undefined) return false;
  const properties = Object.values((schema.properties ?? {}) as Record<string, JsonSchema>);
  return (
    properties.every(everyNodeTyped) &&
    (schema.items === undefined || everyNodeTyped(schema.items as JsonSchema))
  );
}

export function strictSchema(schema: JsonSchema): JsonSchema {
  const limits = describeLimits(schema);
  const strict: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!KEPT.has(keyword)) continue;
    if (keyword === 'properties' || keyword === 'required' || keyword === 'additionalProperties') continue;
    if (keyword === 'items') strict.items = strictSchema(value as JsonSchema);
    else if (keyword === 'anyOf') strict.anyOf = (value as JsonSchema[]).map(strictSchema);
    else strict[keyword] = value;
  }
  if (limits) {
    const said = typeof strict.description === 'string' ? strict.description : '';
    strict.description = said ? `${said} (${limits})` : `(${limits})`;
  }
  if (schema.type === 'object' || schema.properties !== undefined) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    strict.properties = Object.fromEntries(
      Object.entries(properties).map(([name, property]) => {
        const converted = strictSchema(property);
        return [name, required.has(name) ? converted : nullable(converted)];
      }),
    );
    strict.required = Object.keys(properties);
    strict.additionalProperties = false;
  }
  return strict;
}

/** An optional property as strict mode has it: required, and null when the model leaves it out. */
function nullable(schema: JsonSchema): JsonSchema {
  const { description, ...rest } = schema;
  const branches =
    Array.isArray(rest.anyOf) && Object.keys(rest).length === 1 ? (rest.anyOf as JsonSchema[]) : [rest];
  return {
    ...(description !== undefined && { description }),
    anyOf: [...branches, { type: 'null' }],
  };
}

/** The constraints strict mode does not carry, in words: "default 25; 1 to 250". */
function describeLimits(schema: JsonSchema): string {
  const said: string[] = [];
  const { minimum, maximum, minLength, maxLength, minItems, maxItems, pattern } = schema;
  const bound = (value: unknown) => typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  if (bound(minimum) && bound(maximum)) said.push(`${minimum} to ${maximum}`);
  else if (bound(minimum)) said.push(`at least ${minimum}`);
  else if (bound(maximum)) said.push(`at most ${maximum}`);
  if (typeof maxLength === 'number') said.push(`at most ${maxLength} characters`);
  if (typeof minLength === 'number' && minLength > 1) said.push(`at least ${minLength} characters`);
  if (minLength === 1) said.push('not empty');
  if (typeof minItems === 'number' && minItems > 0) said.push(`at least ${minItems} items`);
  if (typeof maxItems === 'number') said.push(`at most ${maxItems} items`);
  if (typeof pattern === 'string') said.push(`matching ${pattern}`);
  if (schema.default !== undefined) said.push(`default ${JSON.stringify(schema.default)}`);
  return said.join('; ');
}
