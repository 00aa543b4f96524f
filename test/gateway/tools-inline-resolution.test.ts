import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  SEED,
} from './support/tools.ts';

const C = { ...SEED.comments, inlineReply: '65905' };

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const puts = async () => (await confluenceRequests()).filter((r) => r.method === 'PUT');

describe('resolve_confluence_inline_comment', () => {
  it('resolves an open thread, which comment reads then show as resolved', async () => {
    const { status, body } = await callTool(id, 'resolve_confluence_inline_comment', {
      comment_id: C.inline,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      unchanged: false,
      comment: { id: C.inline, page_id: SEED.pages.architecture, resolution_status: 'resolved', version: 2 },
    });
    const [put] = await puts();
    expect(put?.body).toMatchObject({
      version: { number: 2 },
      resolved: true,
      body: { representation: 'storage', value: expect.any(String) },
    });
    const read = await callTool(id, 'get_confluence_comments', {
      page_id: SEED.pages.architecture,
      kind: 'inline',
    });
    const thread = read.body.comments.find((c: { id: string }) => c.id === C.inline);
    expect(thread.resolution_status).toBe('resolved');
  });

  it('reopens a resolved thread with resolved: false', async () => {
    const { body } = await callTool(id, 'resolve_confluence_inline_comment', {
      comment_id: C.inlineResolved,
      resolved: false,
    });
    expect(body.comment.resolution_status).toBe('reopened');
  });

  it('writes nothing for a thread already in the asked state', async () => {
    const { body } = await callTool(id, 'resolve_confluence_inline_comment', {
      comment_id: C.inlineResolved,
    });
    expect(body).toMatchObject({ unchanged: true, comment: { resolution_status: 'resolved' } });
    expect(await puts()).toEqual([]);
  });

  it('refuses a reply, naming the thread to resolve, and answers not_found for a footer comment', async () => {
    const reply = await callTool(id, 'resolve_confluence_inline_comment', { comment_id: C.inlineReply });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain(`comment ${C.inline}`);
    await clearRequestLog();
    const footer = await callTool(id, 'resolve_confluence_inline_comment', { comment_id: C.onArchitecture });
    expect(footer.status).toBe(404);
    expect(footer.body.error.code).toBe('not_found');
    expect(await puts()).toEqual([]);
  });
});
