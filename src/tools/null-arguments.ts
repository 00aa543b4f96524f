import * as z from 'zod';

/**
 * Null means absent. A model in OpenAI's strict mode must send every property, so it sends `null`
 * for each optional argument it leaves out, and clients that forward its arguments unchanged pass
 * those nulls on. So an optional argument given as null is dropped before validation, at any depth,
 * on both doors; an argument that is required, or that itself gives null a meaning, keeps it (and a
 * required one is then refused, naming the field). The published schemas stay as they are.
 */
export function withoutNullOptionals<T>(schema: z.ZodType, value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const inner = unwrap(schema);
  if (Array.isArray(value)) {
    if (!(inner instanceof z.ZodArray)) return value;
    const element = inner.element as z.ZodType;
    return value.map((item) => withoutNullOptionals(element, item)) as T;
  }
  if (!(inner instanceof z.ZodObject)) return value;
  const shape = inner.shape as Record<string, z.ZodType>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const field = shape[key];
    if (!field) continue;
    let kept: unknown = item;
    if (item === null) {
      if (!accepts(field, null) && accepts(field, undefined)) kept = undefined;
    } else if (typeof item === 'object') {
      kept = withoutNullOptionals(field, item);
    }
    if (kept === item) continue;
    copy ??= { ...(value as Record<string, unknown>) };
    if (kept === undefined) delete copy[key];
    else copy[key] = kept;
  }
  return (copy ?? value) as T;
}

function accepts(schema: z.ZodType, value: null | undefined): boolean {
  return schema.safeParse(value).success;
}

/** The schema under optional, nullable, default and pipe wrappers: the shape that says what a value holds. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodReadonly ||
      current instanceof z.ZodCatch
    ) {
      current = current.def.innerType as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.def.in as z.ZodType;
    } else {
      return current;
    }
  }
  return current;
}
