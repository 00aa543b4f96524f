/** Tasks (`/tasks`): the checkbox items of pages and blog posts, filtered, read and marked done. */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import { CURRENT_USER } from '../users.ts';
import { storageToAdf } from './body-formats.ts';
import type { ContentStore, TaskRecord } from './content-store.ts';
import { v2BadParameter, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { booleanParam, enumParam, invalidValue, isNumericId, listParam } from './query.ts';
import { readWriteRequest } from './write-body.ts';

type TaskBodyFormat = 'storage' | 'atlas_doc_format' | undefined;

function taskJson(task: TaskRecord, store: ContentStore, bodyFormat: TaskBodyFormat) {
  const content = store.pages.get(task.contentId);
  return {
    id: task.id,
    localId: task.localId,
    spaceId: content?.spaceId,
    ...(content?.type === 'blogpost' ? { blogPostId: task.contentId } : { pageId: task.contentId }),
    status: task.status,
    body: bodyFormat
      ? {
          [bodyFormat]: {
            representation: bodyFormat,
            value: bodyFormat === 'storage' ? task.body : storageToAdf(task.body),
          },
        }
      : {},
    createdBy: task.createdBy,
    ...(task.assignedTo && { assignedTo: task.assignedTo }),
    ...(task.completedBy && { completedBy: task.completedBy }),
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    ...(task.dueAt && { dueAt: task.dueAt }),
    ...(task.completedAt && { completedAt: task.completedAt }),
  };
}

function visibleTask(store: ContentStore, id: string): TaskRecord | undefined {
  const task = store.tasks.get(id);
  return task && store.visiblePage(task.contentId, CURRENT_USER.accountId) ? task : undefined;
}

const TIME_FILTERS = [
  ['created-at-from', 'createdAt', 1],
  ['created-at-to', 'createdAt', -1],
  ['due-at-from', 'dueAt', 1],
  ['due-at-to', 'dueAt', -1],
  ['completed-at-from', 'completedAt', 1],
  ['completed-at-to', 'completedAt', -1],
] as const;

/** `GET /tasks`: status, ids of tasks, spaces, pages, blog posts and people, time ranges (epoch ms), paging. */
export function getTasks(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  const status = enumParam(url, 'status', ['complete', 'incomplete'] as const);
  const bodyFormat = enumParam(url, 'body-format', ['storage', 'atlas_doc_format'] as const);
  const blank = booleanParam(url, 'include-blank-tasks', true);
  for (const [name, value] of Object.entries({
    status,
    'body-format': bodyFormat,
    'include-blank-tasks': blank,
  })) {
    if (value === 'invalid') return v2BadParameter(c, invalidValue(name, url.searchParams.get(name)));
  }
  const lists: Record<string, string[] | undefined> = {};
  for (const name of ['task-id', 'space-id', 'page-id', 'blogpost-id']) {
    lists[name] = listParam(url, name);
    const bad = lists[name]?.find((v) => !isNumericId(v));
    if (bad) return v2BadParameter(c, invalidValue(name, bad));
  }
  for (const name of ['created-by', 'assigned-to', 'completed-by']) lists[name] = listParam(url, name);
  const times: Array<[keyof TaskRecord, number, 1 | -1]> = [];
  for (const [name, field, direction] of TIME_FILTERS) {
    const raw = url.searchParams.get(name);
    if (raw === null) continue;
    if (!/^\d+$/.test(raw)) return v2BadParameter(c, invalidValue(name, raw));
    times.push([field, Number(raw), direction]);
  }
  const store = c.get('store');
  const has = (name: string, value: string | undefined) =>
    !lists[name] || (value !== undefined && lists[name].includes(value));
  const tasks = [...store.tasks.values()]
    .filter((task) => {
      const content = store.visiblePage(task.contentId, CURRENT_USER.accountId);
      if (!content || content.status === 'trashed') return false;
      if (status && task.status !== status) return false;
      if (blank === false && !task.body.replace(/<[^>]+>/g, '').trim()) return false;
      return (
        has('task-id', task.id) &&
        has('space-id', content.spaceId) &&
        has('page-id', content.type === 'page' ? content.id : undefined) &&
        has('blogpost-id', content.type === 'blogpost' ? content.id : undefined) &&
        has('created-by', task.createdBy) &&
        has('assigned-to', task.assignedTo) &&
        has('completed-by', task.completedBy) &&
        times.every(([field, bound, direction]) => {
          const value = task[field];
          return typeof value === 'string' && direction * (Date.parse(value) - bound) >= 0;
        })
      );
    })
    .sort((a, b) => Number(a.id) - Number(b.id));
  return listResponse(c, tasks, paging, (task) => taskJson(task, store, bodyFormat as TaskBodyFormat));
}

/** `GET /tasks/{id}`. */
export function getTask(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const bodyFormat = enumParam(url, 'body-format', ['storage', 'atlas_doc_format'] as const);
  if (bodyFormat === 'invalid')
    return v2BadParameter(c, invalidValue('body-format', url.searchParams.get('body-format')));
  const store = c.get('store');
  const task = visibleTask(store, id);
  return task ? c.json(taskJson(task, store, bodyFormat)) : v2NotFound(c);
}

/** `PUT /tasks/{id}`: `{status, …}`; only the status changes, and completing stamps who and when. */
export function updateTask(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const bodyFormat = enumParam(url, 'body-format', ['storage', 'atlas_doc_format'] as const);
  if (bodyFormat === 'invalid')
    return v2BadParameter(c, invalidValue('body-format', url.searchParams.get('body-format')));
  const request = readWriteRequest(c);
  if (request instanceof Response) return request;
  if (request.status !== 'complete' && request.status !== 'incomplete')
    return v2BadParameter(c, invalidValue('status', request.status));
  const store = c.get('store');
  const task = visibleTask(store, id);
  if (!task) return v2NotFound(c);
  const now = c.get('now');
  if (task.status !== request.status) {
    task.status = request.status;
    task.updatedAt = now;
    if (request.status === 'complete') {
      task.completedBy = CURRENT_USER.accountId;
      task.completedAt = now;
    } else {
      task.completedBy = undefined;
      task.completedAt = undefined;
    }
    store.touch();
  }
  return c.json(taskJson(task, store, bodyFormat));
}
