import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { storageToAdf } from './body-formats.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { enumParam, invalidValue, isNumericId } from './query.ts';
import { versionJson } from './shapes.ts';

/** `GET /pages/{id}/versions`: newest first unless `sort=modified-date`; bodies only when asked for. */
export function getPageVersions(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const sort = enumParam(url, 'sort', ['modified-date', '-modified-date'] as const);
  const bodyFormat = enumParam(url, 'body-format', ['storage', 'atlas_doc_format'] as const);
  for (const [name, value] of Object.entries({ sort, 'body-format': bodyFormat })) {
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
  }
  const store = c.get('store');
  const page = store.visiblePage(id, CURRENT_USER.accountId);
  if (page?.type !== 'page' || page.status === 'trashed') return v2NotFound(c);
  const versions = sort === 'modified-date' ? [...page.versions] : [...page.versions].reverse();
  return listResponse(c, versions, paging, (version) => ({
    ...versionJson(version),
    page: {
      id: page.id,
      title: page.title,
      ...(bodyFormat && {
        body: {
          [bodyFormat]: {
            representation: bodyFormat,
            value:
              bodyFormat === 'storage'
                ? store.bodyAt(page, version)
                : storageToAdf(store.bodyAt(page, version)),
          },
        },
      }),
    },
  }));
}
