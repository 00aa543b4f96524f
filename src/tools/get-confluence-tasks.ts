import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { listTasks, type TaskFilter } from '../confluence/tasks.ts';
import { cursor, limit, pageId } from './arguments.ts';
import { pagingOutput } from './outputs.ts';
import { bodyRenderer } from './read-body.ts';
import { shapeTask, taskOutput } from './task-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId.optional().describe('Omit for the tasks assigned to the user.'),
    assigned_to_me: z.boolean().optional().describe('Default: true without page_id, false with it.'),
    status: z.enum(['incomplete', 'complete', 'all']).default('incomplete'),
    due_before: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD, e.g. "2026-03-31"')
      .refine((day) => !Number.isNaN(Date.parse(day)), 'not a calendar day')
      .optional()
      .describe('Due on or before this day (UTC), e.g. to find overdue tasks.'),
    limit,
    cursor,
  });

const output = () => z.object({ tasks: z.array(taskOutput()), ...pagingOutput });

export const getConfluenceTasks = defineTool({
  name: 'get_confluence_tasks',
  title: 'List tasks',
  description:
    "List Confluence tasks (checkbox items with an assignee and due date): the user's own, or those on one page. Mark one done with update_confluence_task.",
  schema,
  output,
  annotations: ANNOTATIONS.read,
  toolset: 'tasks',
  async run(args, confluence) {
    const mine = args.assigned_to_me ?? args.page_id === undefined;
    const spaces = args.page_id === undefined ? await confluence.confinedSpaceIds() : undefined;
    // A caller confined to no space sees no tasks: nothing to ask.
    if (spaces?.length === 0) return { tasks: [], has_more: false };
    const query: TaskFilter = {
      limit: args.limit,
      ...(args.cursor !== undefined && { cursor: args.cursor }),
      ...(args.status !== 'all' && { status: args.status }),
      ...(args.page_id !== undefined && { 'page-id': args.page_id }),
      ...(spaces && { 'space-id': spaces.join(',') }),
      ...(args.due_before !== undefined && { 'due-at-to': Date.parse(`${args.due_before}T23:59:59.999Z`) }),
    };
    if (mine) {
      const me = await confluence.currentUser();
      if (me.accountId) query['assigned-to'] = me.accountId;
    }
    const answer = await listTasks(confluence, query);
    const render = await bodyRenderer('markdown');
    return { tasks: answer.results.map((task) => shapeTask(task, render)), ...pagingFields(answer._links) };
  },
});
