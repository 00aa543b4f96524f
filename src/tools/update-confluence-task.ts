import * as z from 'zod';
import { getTask, updateTask } from '../confluence/tasks.ts';
import { bodyRenderer } from './read-body.ts';
import { shapeTask, taskOutput } from './task-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    task_id: z
      .string()
      .regex(/^\d+$/, 'expected the numeric task id as a string, e.g. "65970"')
      .describe('From get_confluence_tasks.'),
    status: z.enum(['complete', 'incomplete']),
  });

export const updateConfluenceTask = defineTool({
  name: 'update_confluence_task',
  title: 'Mark a task done or open',
  description: 'Mark one Confluence task complete or incomplete (nothing else about it changes).',
  schema,
  output: () => z.object({ task: taskOutput(), message: z.string() }),
  annotations: ANNOTATIONS.idempotentWrite,
  toolset: 'tasks',
  async run(args, confluence) {
    const current = await getTask(confluence, args.task_id);
    const task =
      current.status === args.status ? current : await updateTask(confluence, current, args.status);
    const render = await bodyRenderer('markdown');
    return {
      task: shapeTask(task, render),
      message:
        current.status === args.status
          ? `Task ${task.id} was already ${args.status}`
          : `Marked task ${task.id} ${args.status}`,
    };
  },
});
