/** v1 page templates (`/wiki/rest/api/template/page`, `/template/{id}`): v2 has no template API. */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { ContentStore, TemplateRecord } from './content-store.ts';
import { v1Error } from './errors.ts';

function templateJson(template: TemplateRecord, store: ContentStore, withBody: boolean) {
  const space = template.spaceKey ? store.spaceByKey(template.spaceKey) : undefined;
  return {
    templateId: template.id,
    name: template.name,
    description: template.description,
    ...(space && { space: { id: Number(space.id), key: space.key, name: space.name } }),
    labels: template.labels.map((l) => ({ prefix: l.prefix, name: l.name, id: l.id, label: l.name })),
    templateType: 'page',
    editorVersion: 'v2',
    ...(withBody
      ? { body: { storage: { value: template.body, representation: 'storage', _expandable: {} } } }
      : { _expandable: { body: '' } }),
    _links: {
      base: store.baseUrl,
      context: '/wiki',
      self: `${store.baseUrl}/rest/api/template/${template.id}`,
    },
  };
}

/** `GET /wiki/rest/api/template/page?spaceKey=&start=&limit=&expand=body`: a space's templates, or the site's. */
export function getPageTemplates(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const store = c.get('store');
  const spaceKey = url.searchParams.get('spaceKey');
  const start = Number(url.searchParams.get('start') ?? '0');
  const limit = Number(url.searchParams.get('limit') ?? '25');
  if (!Number.isInteger(start) || start < 0) return v1Error(c, 400, 'start must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 1) return v1Error(c, 400, 'limit must be a positive integer');
  if (spaceKey !== null && !store.spaceByKey(spaceKey))
    return v1Error(c, 403, `No space with key ${spaceKey}`);
  const all = [...store.templates.values()]
    .filter((t) =>
      spaceKey === null ? t.spaceKey === undefined : t.spaceKey?.toLowerCase() === spaceKey.toLowerCase(),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  const capped = Math.min(limit, 100);
  const page = all.slice(start, start + capped);
  const withBody = (url.searchParams.get('expand') ?? '').split(',').includes('body');
  const self = `${store.baseUrl}/rest/api/template/page`;
  return c.json({
    results: page.map((t) => templateJson(t, store, withBody)),
    start,
    limit: capped,
    size: page.length,
    _links: {
      base: store.baseUrl,
      context: '/wiki',
      self,
      ...(start + capped < all.length && {
        next: `/rest/api/template/page?${spaceKey === null ? '' : `spaceKey=${spaceKey}&`}start=${start + capped}&limit=${capped}`,
      }),
    },
  });
}

/** `GET /wiki/rest/api/template/{contentTemplateId}`: one template with its storage body. */
export function getTemplate(c: Context<EmulatorEnv>) {
  const store = c.get('store');
  const template = store.templates.get(c.req.param('contentTemplateId') ?? '');
  if (!template) return v1Error(c, 404, 'No template found with the given id');
  return c.json(templateJson(template, store, true));
}
