import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import type { LabelRecord, PageRecord } from './content-store.ts';
import { v1Error, v2BadParameter, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { invalidValue, isNumericId } from './query.ts';

/** Characters Confluence refuses in a label name (and no whitespace). */
const FORBIDDEN = /[\s!#&()*,.:;<>?@[\]^]/;

function labelJson(label: LabelRecord) {
  return { prefix: label.prefix, name: label.name, id: label.id, label: label.name };
}

function writablePage(c: Context<EmulatorEnv>): PageRecord | undefined {
  const page = c.get('store').visiblePage(c.req.param('id') ?? '', CURRENT_USER.accountId);
  return page && (page.type === 'page' || page.type === 'blogpost') && page.status !== 'trashed'
    ? page
    : undefined;
}

/** `GET /pages/{id}/labels` (v2): prefix filter, sort, cursor, limit. */
export function getPageLabels(c: Context<EmulatorEnv>) {
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const page = c.get('store').visiblePage(id, CURRENT_USER.accountId);
  if (page?.type !== 'page' || page.status === 'trashed') return v2NotFound(c);
  const prefix = c.req.query('prefix');
  const labels = page.labels.filter((l) => prefix === undefined || l.prefix === prefix);
  return listResponse(c, labels, paging, (l) => ({ id: l.id, name: l.name, prefix: l.prefix }));
}

/**
 * v1 `POST /wiki/rest/api/content/{id}/label`: `[{prefix, name}]` or one `{prefix, name}`. Names are
 * stored lowercase; a label already there is kept once. Answers every label of the content.
 */
export function addLabels(c: Context<EmulatorEnv>) {
  const page = writablePage(c);
  if (!page) return v1Error(c, 404, 'No content found with the given id');
  let parsed: unknown;
  try {
    parsed = JSON.parse(c.get('rawBody'));
  } catch {
    return v1Error(c, 400, 'The body must be a JSON array of labels');
  }
  const wanted = (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
  for (const label of wanted) {
    const name = label?.name;
    if (typeof name !== 'string' || !name || name.length > 255 || FORBIDDEN.test(name)) {
      return v1Error(c, 400, `Label name "${String(name)}" is not valid`);
    }
    if (label.prefix !== undefined && !['global', 'my', 'team'].includes(String(label.prefix))) {
      return v1Error(c, 400, `Label prefix "${String(label.prefix)}" is not valid`);
    }
  }
  const store = c.get('store');
  for (const label of wanted) {
    const name = String(label.name).toLowerCase();
    if (!page.labels.some((l) => l.name === name)) {
      page.labels.push({
        id: store.allocateId(),
        name,
        prefix: (label.prefix as LabelRecord['prefix']) ?? 'global',
      });
    }
  }
  store.touch();
  return c.json({
    results: page.labels.map(labelJson),
    start: 0,
    limit: 200,
    size: page.labels.length,
    _links: { base: store.baseUrl, context: '/wiki' },
  });
}

/** v1 `DELETE /wiki/rest/api/content/{id}/label/{label}`: 204; 404 when the label is not on the content. */
export function removeLabel(c: Context<EmulatorEnv>) {
  const page = writablePage(c);
  if (!page) return v1Error(c, 404, 'No content found with the given id');
  const name = (c.req.param('label') ?? '').toLowerCase();
  const index = page.labels.findIndex((l) => l.name === name);
  if (index === -1) return v1Error(c, 404, `Label "${name}" is not on this content`);
  page.labels.splice(index, 1);
  c.get('store').touch();
  return c.body(null, 204);
}
