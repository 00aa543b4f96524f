import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { SpaceRecord } from './content-store.ts';
import { v2BadParameter } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { booleanParam, enumParam, invalidValue, listParam } from './query.ts';
import { spaceJson } from './shapes.ts';

const SPACE_TYPES = [
  'global',
  'collaboration',
  'knowledge_base',
  'personal',
  'system',
  'onboarding',
  'xflow_sample_space',
] as const;
const SORTS = ['id', '-id', 'key', '-key', 'name', '-name'] as const;

function compareBy(sort: (typeof SORTS)[number]) {
  const field = sort.replace('-', '') as 'id' | 'key' | 'name';
  const direction = sort.startsWith('-') ? -1 : 1;
  return (a: SpaceRecord, b: SpaceRecord) =>
    direction * (field === 'id' ? Number(a.id) - Number(b.id) : a[field].localeCompare(b[field]));
}

/** `GET /spaces`: ids, keys, type, status, labels, sort, description-format, include-icon, cursor, limit. */
export function getSpaces(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const type = enumParam(url, 'type', SPACE_TYPES);
  const status = enumParam(url, 'status', ['current', 'archived'] as const);
  const sort = enumParam(url, 'sort', SORTS);
  const descriptionFormat = enumParam(url, 'description-format', ['plain', 'view'] as const);
  const includeIcon = booleanParam(url, 'include-icon', false);
  const ids = listParam(url, 'ids');
  for (const [name, value] of Object.entries({
    type,
    status,
    sort,
    'description-format': descriptionFormat,
    'include-icon': includeIcon,
  })) {
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
  }
  if (ids?.some((id) => !/^\d+$/.test(id))) return v2BadParameter(c, invalidValue('ids', ids.join(',')));

  const keys = listParam(url, 'keys');
  const labels = listParam(url, 'labels');
  const spaces = c
    .get('store')
    .spaces.filter(
      (s) =>
        (!ids || ids.includes(s.id)) &&
        (!keys || keys.includes(s.key)) &&
        (!type || s.type === type) &&
        (!status || s.status === status) &&
        // Seeded spaces carry no labels, and nobody has favourited one.
        !labels &&
        !url.searchParams.has('favorited-by'),
    )
    .sort(compareBy((sort as (typeof SORTS)[number] | undefined) ?? 'id'));
  return listResponse(c, spaces, paging, (s) =>
    spaceJson(s, {
      descriptionFormat: descriptionFormat as 'plain' | 'view' | undefined,
      includeIcon: includeIcon === true,
    }),
  );
}
