/**
 * JSON Schema as every client's dialect reads it. Zod writes a nullable field as `type: [T, "null"]`,
 * legal JSON Schema that single-type dialects (the OpenAPI subset of Gemini function declarations,
 * and clients that map onto it) reject or misread; `anyOf: [{type: T}, {type: "null"}]` says the same
 * in the form they accept. (OpenAPI 3.0's own `nullable: true` is not JSON Schema, so the validating
 * clients would refuse it: no spelling is portable to both, and anyOf is the one JSON Schema keeps.)
 */

type JsonSchema = Record<string, unknown>;

export function portableSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(portableSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const node: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    node[keyword] =
      keyword === 'enum' || keyword === 'const' || keyword === 'required' ? value : portableSchema(value);
  }
  if (!Array.isArray(node.type)) return node;
  const { type, description, ...constraints } = node;
  return {
    ...(description !== undefined && { description }),
    anyOf: (type as string[]).map((single) =>
      single === 'null' ? { type: 'null' } : { type: single, ...constraints },
    ),
  };
}

/**
 * The outline of a result schema that tools/list carries: the fields down to `depth` levels of
 * objects (array items count with their array), typed, nested objects below that typed `object`
 * without their fields, and no descriptions. A client validates every result against it, so it
 * must admit all a tool returns, which an outline does; listing every nested field of every tool
 * would cost more of a model's context than the tools' own descriptions (the full result schemas
 * are the tools' zod `output`, which the tests hold every result to).
 */
export function outlineSchema(schema: unknown, depth: number): unknown {
  if (Array.isArray(schema)) return schema.map((item) => outlineSchema(item, depth));
  if (typeof schema !== 'object' || schema === null) return schema;
  const node: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'description') continue;
    if (keyword === 'properties') {
      if (depth <= 0) continue;
      node.properties = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([name, property]) => [
          name,
          outlineSchema(property, depth - 1),
        ]),
      );
    } else if (keyword === 'required' || keyword === 'additionalProperties') {
      if (depth > 0) node[keyword] = value;
    } else if (keyword === 'enum' || keyword === 'const') {
      node[keyword] = value;
    } else {
      node[keyword] = outlineSchema(value, depth);
    }
  }
  return node;
}
