/**
 * Atlassian's published OpenAPI specs as a validator: find the operation for a method and path,
 * then check query and path parameters, request bodies and response bodies against it.
 * The specs are read from `../shared/atlassian/` beside the repository (or `ATLASSIAN_SPEC_DIR`)
 * and never copied into it; when they are absent, `loadSpecs()` answers undefined.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const SPEC_FILES = {
  v2: 'confluence-rest-v2.openapi.json',
  v1: 'confluence-rest-v1.openapi.json',
} as const;
export const SPEC_SOURCES = {
  v1: 'https://developer.atlassian.com/cloud/confluence/swagger.v3.json',
  v2: 'https://dac-static.atlassian.com/cloud/confluence/openapi-v2.v3.json',
};
export type ApiVersion = keyof typeof SPEC_FILES;

export function specDirectory(): string {
  return (
    process.env.ATLASSIAN_SPEC_DIR ?? fileURLToPath(new URL('../../../shared/atlassian/', import.meta.url))
  );
}

type Json = Record<string, unknown>;
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema?: Json;
}

export interface SpecOperation {
  api: ApiVersion;
  method: string;
  template: string;
  definition: Json;
}

/**
 * Atlassian's body schemas use `oneOf` between shapes that overlap (a `{representation, value}` body
 * also satisfies the all-optional nested form), so a strict `oneOf` would refuse every valid body.
 * `anyOf` keeps the intent: the value must fit one of the documented shapes.
 */
function loosenOneOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(loosenOneOf);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Json).map(([key, value]) => [key === 'oneOf' ? 'anyOf' : key, loosenOneOf(value)]),
  );
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

class ApiSpec {
  readonly api: ApiVersion;
  readonly document: Json;
  readonly #ajv: Ajv;
  readonly #routes: Array<{ template: string; pattern: RegExp; literalLength: number }>;
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(api: ApiVersion, document: Json) {
    this.api = api;
    this.document = loosenOneOf(document) as Json;
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.#ajv);
    this.#ajv.addFormat('int32', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
    });
    this.#ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.#ajv.addFormat('binary', true);
    this.#ajv.addFormat('string', true);
    this.#ajv.addSchema({ ...this.document, $id: api }, api);
    this.#routes = Object.keys(this.document.paths as Json)
      .map((template) => ({
        template,
        pattern: new RegExp(
          `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`,
        ),
        literalLength: template.replace(/\{[^}]+\}/g, '').length,
      }))
      // A literal segment beats a parameter: /pages/bulk before /pages/{id}.
      .sort((a, b) => b.literalLength - a.literalLength);
  }

  find(
    method: string,
    path: string,
  ): { operation: SpecOperation; pathParams: Record<string, string> } | undefined {
    for (const route of this.#routes) {
      const match = route.pattern.exec(path);
      const definition =
        match && ((this.document.paths as Json)[route.template] as Json)[method.toLowerCase()];
      if (!match || !definition) continue;
      const names = [...route.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      const pathParams = Object.fromEntries(
        names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
      return {
        operation: { api: this.api, method, template: route.template, definition: definition as Json },
        pathParams,
      };
    }
    return undefined;
  }

  /** Follows a local `$ref` (parameters, request bodies) inside the document. */
  resolve<T>(node: unknown): T {
    const ref = (node as Json | undefined)?.$ref;
    if (typeof ref !== 'string') return node as T;
    return ref
      .slice(2)
      .split('/')
      .reduce<unknown>(
        (at, key) => (at as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        this.document,
      ) as T;
  }

  /** A compiled validator for the schema at a JSON pointer of the document, cached. */
  validator(pointer: string): ValidateFunction {
    let validate = this.#validators.get(pointer);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `${this.api}#${pointer}` });
      this.#validators.set(pointer, validate);
    }
    return validate;
  }

  pointerOf(operation: SpecOperation, ...rest: string[]): string {
    return ['', 'paths', operation.template, operation.method.toLowerCase(), ...rest]
      .map(escapePointer)
      .join('/');
  }
}

const loaded = new Map<string, Specs | undefined>();

/** Both specs, loaded once per directory; undefined when either file is missing. */
export function loadSpecs(directory = specDirectory()): Specs | undefined {
  if (!loaded.has(directory)) {
    const files = Object.values(SPEC_FILES).map((f) => join(directory, f));
    loaded.set(
      directory,
      files.every((f) => existsSync(f))
        ? new Specs(
            new ApiSpec('v2', JSON.parse(readFileSync(join(directory, SPEC_FILES.v2), 'utf8'))),
            new ApiSpec('v1', JSON.parse(readFileSync(join(directory, SPEC_FILES.v1), 'utf8'))),
          )
        : undefined,
    );
  }
  return loaded.get(directory);
}

const describeErrors = (validate: ValidateFunction, where: string) =>
  (validate.errors ?? []).map(
    (e) =>
      `${where}${e.instancePath} ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
  );

/** Reads a raw query or path value as the parameter's schema types it (arrays split on commas). */
function coerce(values: string[], schema: Json | undefined): unknown {
  const type = schema?.type;
  if (type === 'array')
    return values.flatMap((v) => v.split(',')).map((v) => coerce([v], schema?.items as Json));
  const value = values[values.length - 1] ?? '';
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

export interface RequestToCheck {
  query: URLSearchParams;
  pathParams: Record<string, string>;
  /** Parsed JSON body, undefined when none was sent; `invalidJson` when it did not parse. */
  body?: unknown;
  invalidJson?: boolean;
  /** For a multipart/form-data request: the names of its parts. */
  form?: string[];
}

export class Specs {
  readonly v2: ApiSpec;
  readonly v1: ApiSpec;

  constructor(v2: ApiSpec, v1: ApiSpec) {
    this.v2 = v2;
    this.v1 = v1;
  }

  /** The operation for a path relative to its API root (`/pages/1` for v2, `/wiki/rest/api/search` for v1). */
  find(api: ApiVersion, method: string, path: string) {
    return this[api].find(method, path);
  }

  checkRequest(operation: SpecOperation, request: RequestToCheck): string[] {
    const spec = this[operation.api];
    const problems: string[] = [];
    const parameters = ((operation.definition.parameters as unknown[]) ?? []).map((p) =>
      spec.resolve<Parameter>(p),
    );
    parameters.forEach((parameter, index) => {
      if (parameter.in !== 'query' && parameter.in !== 'path') return;
      const raw =
        parameter.in === 'query'
          ? request.query.getAll(parameter.name)
          : request.pathParams[parameter.name] === undefined
            ? []
            : [request.pathParams[parameter.name] as string];
      if (!raw.length) {
        if (parameter.required) problems.push(`${parameter.in}.${parameter.name} is required`);
        return;
      }
      const original = (operation.definition.parameters as Json[])[index];
      const pointer = original?.$ref
        ? `${(original.$ref as string).slice(1)}/schema`
        : spec.pointerOf(operation, 'parameters', String(index), 'schema');
      const validate = spec.validator(pointer);
      if (!validate(coerce(raw, parameter.schema)))
        problems.push(...describeErrors(validate, `${parameter.in}.${parameter.name}`));
    });
    const declared = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new Set(request.query.keys())) {
      if (!declared.has(name)) problems.push(`query.${name} is not a parameter of this operation`);
    }

    const bodyRef = operation.definition.requestBody;
    const requestBody = spec.resolve<{ required?: boolean; content?: Json } | undefined>(bodyRef);
    if (!requestBody) {
      if (request.body !== undefined) problems.push('body sent to an operation that takes none');
      return problems;
    }
    if (request.form) {
      const multipart = (requestBody.content?.['multipart/form-data'] as Json | undefined)?.schema as
        | Json
        | undefined;
      if (!multipart) return [...problems, 'multipart body sent to an operation that takes JSON'];
      const required = (multipart.required as string[] | undefined) ?? [];
      return [
        ...problems,
        ...required.filter((name) => !request.form?.includes(name)).map((name) => `body.${name} is required`),
      ];
    }
    if (request.invalidJson) return [...problems, 'body is not JSON'];
    if (request.body === undefined)
      return requestBody.required ? [...problems, 'body is required'] : problems;
    const pointer = (bodyRef as Json).$ref
      ? `${((bodyRef as Json).$ref as string).slice(1)}/content/application~1json/schema`
      : spec.pointerOf(operation, 'requestBody', 'content', 'application/json', 'schema');
    const validate = spec.validator(pointer);
    if (!validate(request.body)) problems.push(...describeErrors(validate, 'body'));
    return problems;
  }

  /**
   * Checks a response. An error status the spec leaves out (409, 413, 429…) is not a violation:
   * Atlassian documents few of them; an undocumented success status is.
   */
  checkResponse(
    operation: SpecOperation,
    status: number,
    contentType: string | null,
    body: () => unknown,
  ): string[] {
    const spec = this[operation.api];
    const responses = operation.definition.responses as Json;
    const key = String(status) in responses ? String(status) : 'default' in responses ? 'default' : undefined;
    if (!key) return status < 400 ? [`status ${status} is not documented`] : [];
    const content = (responses[key] as Json).content as Json | undefined;
    if (!content?.['application/json']) return [];
    if (!contentType?.includes('application/json'))
      return [`content-type ${contentType} is not application/json`];
    const validate = spec.validator(
      spec.pointerOf(operation, 'responses', key, 'content', 'application/json', 'schema'),
    );
    return validate(body()) ? [] : describeErrors(validate, 'response');
  }
}
