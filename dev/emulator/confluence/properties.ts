/**
 * Content properties of pages and blog posts (`/pages/{page-id}/properties`,
 * `/blogposts/{blogpost-id}/properties`): JSON values under keys, versioned.
 */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import type { PageRecord, PropertyRecord } from './content-store.ts';
import { v2BadParameter, v2Error, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { enumParam, invalidValue, isNumericId } from './query.ts';
import { versionJson } from './shapes.ts';
import { readWriteRequest } from './write-body.ts';

/** Confluence refuses a property value over 32 KB. */
const MAX_VALUE_BYTES = 32 * 1024;
const KEY = /^[\w.:-]{1,255}$/;

function propertyJson(property: PropertyRecord) {
  return {
    id: property.id,
    key: property.key,
    value: property.value,
    version: versionJson(property.version),
  };
}

/** The page the path names, when the user may see it, else the error answer. */
function propertyPage(c: Context<EmulatorEnv>): PageRecord | Response {
  const blogPostId = c.req.param('blogpost-id');
  const [name, type] = blogPostId === undefined ? ['page-id', 'page'] : ['blogpost-id', 'blogpost'];
  const id = blogPostId ?? c.req.param('page-id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue(name, id));
  const page = c.get('store').visiblePage(id, CURRENT_USER.accountId);
  return page?.type === type && page.status !== 'trashed' ? page : v2NotFound(c);
}

function propertyOf(c: Context<EmulatorEnv>, page: PageRecord): PropertyRecord | Response {
  const id = c.req.param('property-id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('property-id', id));
  const property = c.get('store').properties.get(id);
  return property?.contentId === page.id ? property : v2NotFound(c);
}

function valueProblem(value: unknown): string | undefined {
  if (value === undefined) return "'value' is required";
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > MAX_VALUE_BYTES)
    return `The property value is too large: the limit is ${MAX_VALUE_BYTES} bytes`;
  return undefined;
}

/** `GET /pages/{page-id}/properties?key=&sort=`: the page's properties. */
export function getPageProperties(c: Context<EmulatorEnv>) {
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const url = new URL(c.req.url);
  const sort = enumParam(url, 'sort', ['key', '-key'] as const);
  if (sort === 'invalid') return v2BadParameter(c, invalidValue('sort', url.searchParams.get('sort')));
  const page = propertyPage(c);
  if (page instanceof Response) return page;
  const key = url.searchParams.get('key');
  const direction = sort === '-key' ? -1 : 1;
  const found = [...c.get('store').properties.values()]
    .filter((p) => p.contentId === page.id && (key === null || p.key === key))
    .sort((a, b) => direction * (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return listResponse(c, found, paging, propertyJson);
}

/** `POST /pages/{page-id}/properties`: `{key, value}`; a key the page already has is refused. */
export function createPageProperty(c: Context<EmulatorEnv>) {
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const page = propertyPage(c);
  if (page instanceof Response) return page;
  const { key, value } = request;
  if (typeof key !== 'string' || !KEY.test(key)) return v2BadParameter(c, invalidValue('key', key));
  const problem = valueProblem(value);
  if (problem) return v2BadParameter(c, problem);
  const store = c.get('store');
  if ([...store.properties.values()].some((p) => p.contentId === page.id && p.key === key)) {
    return v2BadParameter(c, `A property with key '${key}' already exists on this content`);
  }
  const property: PropertyRecord = {
    id: store.allocateId(),
    contentId: page.id,
    key,
    value,
    version: {
      number: 1,
      message: '',
      minorEdit: false,
      authorId: CURRENT_USER.accountId,
      createdAt: c.get('now'),
    },
  };
  store.properties.set(property.id, property);
  store.touch();
  return c.json(propertyJson(property));
}

/** `GET /pages/{page-id}/properties/{property-id}`. */
export function getPageProperty(c: Context<EmulatorEnv>) {
  const page = propertyPage(c);
  if (page instanceof Response) return page;
  const property = propertyOf(c, page);
  return property instanceof Response ? property : c.json(propertyJson(property));
}

/** `PUT /pages/{page-id}/properties/{property-id}`: `{key, value, version:{number: current+1}}`; 409 otherwise. */
export function updatePageProperty(c: Context<EmulatorEnv>) {
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  const page = propertyPage(c);
  if (page instanceof Response) return page;
  const property = propertyOf(c, page);
  if (property instanceof Response) return property;
  const version = request.version as { number?: unknown; message?: unknown } | undefined;
  if (typeof version?.number !== 'number')
    return v2BadParameter(c, invalidValue('version.number', version?.number));
  if (request.key !== undefined && request.key !== property.key)
    return v2BadParameter(c, 'The key of a property cannot be changed');
  const problem = valueProblem(request.value);
  if (problem) return v2BadParameter(c, problem);
  if (version.number !== property.version.number + 1) {
    return v2Error(
      c,
      409,
      'CONFLICT',
      `Version must be incremented when updating a property. Current Version: [${property.version.number}]. Provided version: [${version.number}]`,
    );
  }
  property.value = request.value;
  property.version = {
    number: version.number,
    message: typeof version.message === 'string' ? version.message : '',
    minorEdit: false,
    authorId: CURRENT_USER.accountId,
    createdAt: c.get('now'),
  };
  c.get('store').touch();
  return c.json(propertyJson(property));
}

/** `DELETE /pages/{page-id}/properties/{property-id}` → 204. */
export function deletePageProperty(c: Context<EmulatorEnv>) {
  const page = propertyPage(c);
  if (page instanceof Response) return page;
  const property = propertyOf(c, page);
  if (property instanceof Response) return property;
  c.get('store').properties.delete(property.id);
  c.get('store').touch();
  return c.body(null, 204);
}
