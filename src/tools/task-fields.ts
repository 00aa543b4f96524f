import * as z from 'zod';
import type { Task } from '../confluence/tasks.ts';
import type { BodyRenderer } from './read-body.ts';

/** A task as the task tools answer it: its text in Markdown, where it is, who and when. */
export const taskOutput = () =>
  z.object({
    id: z.string(),
    status: z.string(),
    text: z.string(),
    page_id: z.string().nullable(),
    blogpost_id: z.string().nullable(),
    space_id: z.string().nullable(),
    assigned_to: z.string().nullable(),
    created_by: z.string().nullable(),
    completed_by: z.string().nullable(),
    due_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    created_at: z.string().nullable(),
  });

export function shapeTask(task: Task, render: BodyRenderer) {
  return {
    id: task.id,
    status: task.status,
    text: render(task.body?.storage?.value ?? '').trim(),
    page_id: task.pageId ?? null,
    blogpost_id: task.blogPostId ?? null,
    space_id: task.spaceId ?? null,
    assigned_to: task.assignedTo ?? null,
    created_by: task.createdBy ?? null,
    completed_by: task.completedBy ?? null,
    due_at: task.dueAt ?? null,
    completed_at: task.completedAt ?? null,
    created_at: task.createdAt ?? null,
  };
}
