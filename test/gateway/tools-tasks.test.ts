import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serviceApi } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  SEED,
} from './support/tools.ts';

/** Seeded tasks (test/emulator/seed.ts): two open ones of the current user, one done of Alice's. */
const TASKS = { reviewDiagram: '65970', rotateKeys: '65971', smokeDone: '65972' };

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

describe('get_confluence_tasks', () => {
  it("lists the user's open tasks by default, with their text, page, assignee and due date", async () => {
    const { status, body } = await callTool(id, 'get_confluence_tasks', {});
    expect(status).toBe(200);
    expect(body.tasks.map((t: { id: string }) => t.id)).toEqual([TASKS.reviewDiagram, TASKS.rotateKeys]);
    expect(body.tasks[0]).toEqual({
      id: TASKS.reviewDiagram,
      status: 'incomplete',
      text: 'Review the gateway diagram',
      page_id: SEED.pages.architecture,
      blogpost_id: null,
      space_id: SEED.spaces.eng.id,
      assigned_to: SEED.users.current,
      created_by: SEED.users.alice,
      completed_by: null,
      due_at: expect.stringMatching(/^2026-03-02T/),
      completed_at: null,
      created_at: expect.any(String),
    });
    const list = (await confluenceRequests()).find((r) => r.path.endsWith('/tasks'));
    expect(list?.query).toMatchObject({ 'assigned-to': SEED.users.current, status: 'incomplete' });
  });

  it('lists every task on a page whoever holds it, and finds what is due by a day', async () => {
    const onPage = await callTool(id, 'get_confluence_tasks', {
      page_id: SEED.pages.deployRunbook,
      status: 'all',
    });
    expect(onPage.body.tasks.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
      [TASKS.smokeDone, 'complete'],
    ]);
    const due = await callTool(id, 'get_confluence_tasks', { due_before: '2026-03-31' });
    expect(due.body.tasks.map((t: { id: string }) => t.id)).toEqual([TASKS.reviewDiagram]);
    const early = await callTool(id, 'get_confluence_tasks', { due_before: '2026-02-01' });
    expect(early.body.tasks).toEqual([]);
  });

  it('refuses a malformed due_before before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'get_confluence_tasks', { due_before: 'next week' });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/due_before/);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('shows a space-confined caller only the tasks of its spaces', async () => {
    const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
      policy: { allowed_spaces: ['OPS'] },
    });
    expect(patched.status).toBe(200);
    const { status, body } = await callTool(id, 'get_confluence_tasks', {});
    expect(status).toBe(200);
    expect(body.tasks.map((t: { id: string }) => t.id)).toEqual([TASKS.rotateKeys]);
    const refused = await callTool(id, 'update_confluence_task', {
      task_id: TASKS.reviewDiagram,
      status: 'complete',
    });
    expect(refused.status).toBe(404);
    expect((await confluenceRequests()).filter((r) => r.method === 'PUT')).toEqual([]);
  });
});

describe('update_confluence_task', () => {
  it('marks a task complete and open again, sending the task as read with the new status', async () => {
    const done = await callTool(id, 'update_confluence_task', {
      task_id: TASKS.reviewDiagram,
      status: 'complete',
    });
    expect(done.status).toBe(200);
    expect(done.body.task).toMatchObject({
      status: 'complete',
      completed_by: SEED.users.current,
      completed_at: expect.any(String),
    });
    const put = (await confluenceRequests()).find((r) => r.method === 'PUT');
    expect(put?.body).toMatchObject({
      id: TASKS.reviewDiagram,
      status: 'complete',
      pageId: SEED.pages.architecture,
    });
    const mine = await callTool(id, 'get_confluence_tasks', {});
    expect(mine.body.tasks.map((t: { id: string }) => t.id)).toEqual([TASKS.rotateKeys]);

    await clearRequestLog();
    const again = await callTool(id, 'update_confluence_task', {
      task_id: TASKS.reviewDiagram,
      status: 'complete',
    });
    expect(again.body.message).toMatch(/already complete/);
    expect((await confluenceRequests()).filter((r) => r.method === 'PUT')).toEqual([]);
    const reopened = await callTool(id, 'update_confluence_task', {
      task_id: TASKS.reviewDiagram,
      status: 'incomplete',
    });
    expect(reopened.body.task).toMatchObject({ status: 'incomplete', completed_by: null });
  });

  it('answers not_found for a task that does not exist', async () => {
    const { status, body } = await callTool(id, 'update_confluence_task', {
      task_id: '999999',
      status: 'complete',
    });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/get_confluence_tasks/);
  });
});
