import type { ConfluenceApi } from './api.ts';
import { CURSOR_HINT } from './hints.ts';
import type { List } from './types.ts';

/** Tasks (REST v2 `/tasks`): the checkbox items of pages and blog posts. */

export interface Task {
  id: string;
  localId?: string;
  spaceId?: string;
  pageId?: string;
  blogPostId?: string;
  status: 'complete' | 'incomplete';
  body?: { storage?: { value?: string } };
  createdBy?: string;
  assignedTo?: string;
  completedBy?: string;
  createdAt?: string;
  updatedAt?: string;
  dueAt?: string;
  completedAt?: string;
}

export interface TaskFilter {
  'assigned-to'?: string;
  'page-id'?: string;
  'space-id'?: string;
  status?: 'complete' | 'incomplete';
  'due-at-to'?: number;
  limit: number;
  cursor?: string;
}

/** Tasks matching the filter; a space-confined caller sees only its spaces' (the filter is narrowed to them). */
export function listTasks(confluence: ConfluenceApi, query: TaskFilter) {
  return confluence.request<List<Task>>({
    method: 'GET',
    path: '/wiki/api/v2/tasks',
    query: { ...query, 'body-format': 'storage', 'include-blank-tasks': false },
    within: query['page-id'] ? { pageId: query['page-id'] } : 'confined',
    scope: 'read:task:confluence',
    notFound: 'Confluence found no tasks endpoint for this site.',
    badRequestHints: [CURSOR_HINT],
  });
}

const taskMissing = (id: string) =>
  `Task ${id} does not exist or the connected user may not view its page. List tasks with get_confluence_tasks.`;

export function getTask(confluence: ConfluenceApi, id: string) {
  return confluence.request<Task>({
    method: 'GET',
    path: `/wiki/api/v2/tasks/${id}`,
    query: { 'body-format': 'storage' },
    within: 'answer',
    scope: 'read:task:confluence',
    notFound: taskMissing(id),
  });
}

/** Marks a task complete or incomplete: the task as read, with the new status. */
export function updateTask(confluence: ConfluenceApi, task: Task, status: Task['status']) {
  const { body: _body, ...fields } = task;
  return confluence.request<Task>({
    method: 'PUT',
    path: `/wiki/api/v2/tasks/${task.id}`,
    query: { 'body-format': 'storage' },
    body: { ...fields, status },
    within: task.pageId
      ? { pageId: task.pageId }
      : task.blogPostId
        ? { contentId: task.blogPostId, contentType: 'blogpost' }
        : 'answer',
    scope: 'write:task:confluence',
    notFound: taskMissing(task.id),
  });
}
