/** Reading REST v2 query parameters the way Confluence does. */

/** A list parameter: repeated (`?status=a&status=b`) or comma-separated (`?status=a,b`). */
export function listParam(url: URL, name: string): string[] | undefined {
  const values = url.searchParams.getAll(name);
  if (!values.length) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** true/false, the default when absent, or 'invalid'. */
export function booleanParam(url: URL, name: string, fallback: boolean): boolean | 'invalid' {
  const value = url.searchParams.get(name);
  if (value === null) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return 'invalid';
}

/** An enum parameter: its value, undefined when absent, or 'invalid'. */
export function enumParam<T extends string>(
  url: URL,
  name: string,
  allowed: readonly T[],
): T | undefined | 'invalid' {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  return (allowed as readonly string[]).includes(value) ? (value as T) : 'invalid';
}

export const isNumericId = (id: string) => /^\d+$/.test(id);

export const invalidValue = (name: string, value: unknown) =>
  `Provided value {${String(value)}} for '${name}' is not the correct type.`;
