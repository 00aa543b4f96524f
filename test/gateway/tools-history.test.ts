import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const P = SEED.pages;
const C = SEED.comments;

describe('get_confluence_comments', () => {
  it('returns footer threads with their replies, then inline threads with their selection and status', async () => {
    const { status, body } = await callTool(id, 'get_confluence_comments', { page_id: P.architecture });
    expect(status).toBe(200);
    expect(body.comments.map((c: { id: string; kind: string }) => [c.id, c.kind])).toEqual([
      [C.onArchitecture, 'footer'],
      [C.secondFooter, 'footer'],
      [C.inline, 'inline'],
      [C.inlineResolved, 'inline'],
    ]);
    expect(body.comments[0]).toMatchObject({
      author_id: SEED.users.alice,
      created_at: expect.any(String),
      version: 1,
      body: 'Should notification-hub move to TypeScript too?',
      parent_comment_id: null,
      url: expect.stringContaining(`focusedCommentId=${C.onArchitecture}`),
      replies: [
        expect.objectContaining({
          id: C.reply,
          body: 'Not this quarter.',
          parent_comment_id: C.onArchitecture,
        }),
      ],
      replies_truncated: false,
    });
    expect(body.comments[2]).toMatchObject({ text_selection: 'edge gateway', resolution_status: 'open' });
    expect(body.comments[2].replies).toHaveLength(1);
    expect(body.comments[3]).toMatchObject({
      text_selection: 'shared event bus',
      resolution_status: 'resolved',
    });
    expect(body.has_more).toBe(false);
  });

  it('pages across footer and inline threads to the end, one thread at a time', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const { status, body } = await callTool(id, 'get_confluence_comments', {
        page_id: P.architecture,
        limit: 1,
        include_replies: false,
        ...(cursor && { cursor }),
      });
      expect(status).toBe(200);
      seen.push(...body.comments.map((c: { id: string }) => c.id));
      for (const comment of body.comments) expect(comment.replies).toBeUndefined();
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([C.onArchitecture, C.secondFooter, C.inline, C.inlineResolved]);
  });

  it('reads one kind in storage format, and refuses a cursor from another kind', async () => {
    const { body } = await callTool(id, 'get_confluence_comments', {
      page_id: P.architecture,
      kind: 'inline',
      body_format: 'storage',
      limit: 1,
    });
    expect(body.comments).toHaveLength(1);
    expect(body.comments[0].body).toBe('<p>Which gateway: Cloudflare or our own?</p>');
    const paths = (await confluenceRequests()).map((r) => r.path);
    expect(paths.every((p) => p.includes('inline-comments'))).toBe(true);
    const mixed = await callTool(id, 'get_confluence_comments', {
      page_id: P.architecture,
      kind: 'footer',
      cursor: body.next_cursor,
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toMatch(/cursor/);
  });

  it('answers not_found for a page the user may not see', async () => {
    const { status, body } = await callTool(id, 'get_confluence_comments', { page_id: P.restricted });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});

describe('get_confluence_page_history', () => {
  it('lists versions newest first with author, date, message and minor_edit, paged to the end', async () => {
    const numbers: number[] = [];
    let cursor: string | undefined;
    let first: Record<string, unknown> | undefined;
    do {
      const { status, body } = await callTool(id, 'get_confluence_page_history', {
        page_id: P.architecture,
        limit: 2,
        ...(cursor && { cursor }),
      });
      expect(status).toBe(200);
      first ??= body.versions[0];
      numbers.push(...body.versions.map((v: { number: number }) => v.number));
      cursor = body.next_cursor;
    } while (cursor);
    expect(numbers).toEqual([5, 4, 3, 2, 1]);
    expect(first).toEqual({
      number: 5,
      author_id: expect.any(String),
      created_at: expect.any(String),
      message: 'Edit 5',
      minor_edit: false,
    });
  });

  it('shows a new version saved by update_confluence_page at the top', async () => {
    await callTool(id, 'update_confluence_page', {
      page_id: P.architecture,
      version_number: 5,
      title: 'Architecture Overview',
      version_message: 'Add the cache tier',
    });
    const { body } = await callTool(id, 'get_confluence_page_history', { page_id: P.architecture, limit: 1 });
    expect(body.versions[0]).toMatchObject({
      number: 6,
      message: 'Add the cache tier',
      author_id: SEED.users.current,
    });
  });
});

describe('compare_confluence_page_versions', () => {
  it('gives a unified diff between a version and the current one', async () => {
    const { status, body } = await callTool(id, 'compare_confluence_page_versions', {
      page_id: P.architecture,
      from_version: 4,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      page_id: P.architecture,
      title: 'Architecture Overview',
      from_version: 4,
      to_version: 5,
      body_format: 'markdown',
      added_lines: 0,
      truncated: false,
      offset: 0,
    });
    expect(body.removed_lines).toBeGreaterThan(0);
    expect(body.diff).toMatch(/^--- version 4\n\+\+\+ version 5\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(body.diff).toContain('\n-Draft of revision 4.');
    expect(body.total_chars).toBe(body.diff.length);
  });

  it('compares storage split at block elements, and reports what an edit changed', async () => {
    await emulatorControl('POST', `/pages/${P.deployRunbook}/edit`, {
      body: '<h1>Deploy Runbook</h1><p>Deployments go out Monday to Thursday.</p>',
    });
    const { body } = await callTool(id, 'compare_confluence_page_versions', {
      page_id: P.deployRunbook,
      from_version: 3,
      to_version: 4,
      body_format: 'storage',
    });
    expect(body.diff).toContain('+<p>Deployments go out Monday to Thursday.</p>');
    expect(body.diff).toContain('-<p>Deployments go out Tuesday to Thursday, never on Fridays.</p>');
    expect(body.diff).toContain(' <h1>Deploy Runbook</h1>');
  });

  it('slices a long diff with max_chars and offset', async () => {
    await emulatorControl('POST', `/pages/${P.architecture}/edit`, { body: '<p>Replaced.</p>' });
    const whole = await callTool(id, 'compare_confluence_page_versions', {
      page_id: P.architecture,
      from_version: 1,
    });
    let text = '';
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const { body } = await callTool(id, 'compare_confluence_page_versions', {
        page_id: P.architecture,
        from_version: 1,
        max_chars: 200,
        offset,
      });
      expect(body.diff.length).toBeLessThanOrEqual(200);
      text += body.diff;
      offset = body.next_offset;
      expect(body.truncated).toBe(offset !== undefined);
    }
    expect(text).toBe(whole.body.diff);
  });

  it('answers not_found for a version that does not exist, and refuses comparing a version with itself', async () => {
    const missing = await callTool(id, 'compare_confluence_page_versions', {
      page_id: P.architecture,
      from_version: 9,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/no version 9/);
    const same = await callTool(id, 'compare_confluence_page_versions', {
      page_id: P.architecture,
      from_version: 5,
    });
    expect(same.status).toBe(400);
    expect(same.body.error.message).toMatch(/current version/);
  });
});
