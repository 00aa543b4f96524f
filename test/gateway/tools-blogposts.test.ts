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

/** Release Notes: November 2026, the seeded blog post of ENG (labelled release-notes). */
const POST = '65547';
const TOC = '<ac:structured-macro ac:name="toc" ac:schema-version="1" />';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

async function newPost(body: string, title = `Post ${Math.random().toString(36).slice(2)}`) {
  const created = await callTool(id, 'create_confluence_blogpost', { space_key: 'ENG', title, body });
  expect(created.status).toBe(200);
  return created.body.blogpost as { id: string; version: number };
}

describe('get_confluence_space_blogposts', () => {
  it("lists a space's blog posts by key, newest first, with web urls", async () => {
    await newPost('<p>Later news.</p>', 'December News');
    await clearRequestLog();
    const { status, body } = await callTool(id, 'get_confluence_space_blogposts', { space_key: 'ENG' });
    expect(status).toBe(200);
    expect(body.space_id).toBe(SEED.spaces.eng.id);
    expect(body.blogposts.map((p: { title: string }) => p.title)).toEqual([
      'December News',
      'Release Notes: November 2026',
    ]);
    expect(body.blogposts[1]).toMatchObject({
      id: POST,
      status: 'current',
      space_id: SEED.spaces.eng.id,
      version: 1,
      url: expect.stringMatching(
        /^https:\/\/acme\.atlassian\.net\/wiki\/spaces\/ENG\/blog\/\d{4}\/\d\d\/\d\d\/65547\//,
      ),
    });
    expect(body.has_more).toBe(false);
    const paths = (await confluenceRequests()).map((r) => r.path);
    expect(paths.at(-1)).toMatch(/\/spaces\/98305\/blogposts$/);
  });
});

describe('get_confluence_blogpost', () => {
  it('reads a blog post in every body format, Markdown included', async () => {
    const formats: Record<string, RegExp> = {
      storage: /<p>This month we shipped cursor pagination/,
      markdown: /^(?!.*<p>).*This month we shipped cursor pagination/s,
      atlas_doc_format: /"type":"doc"/,
      view: /<p>This month we shipped cursor pagination/,
    };
    for (const [format, expected] of Object.entries(formats)) {
      const { status, body } = await callTool(id, 'get_confluence_blogpost', {
        blogpost_id: POST,
        body_format: format,
      });
      expect([format, status]).toEqual([format, 200]);
      expect(body.blogpost.content_format).toBe(format);
      expect(body.blogpost.content).toMatch(expected);
    }
    const { body } = await callTool(id, 'get_confluence_blogpost', { blogpost_id: POST, max_chars: 20 });
    expect(body.blogpost).toMatchObject({
      title: 'Release Notes: November 2026',
      version: { number: 1 },
      labels: [{ name: 'release-notes', prefix: 'global' }],
      truncated: true,
      next_offset: 20,
    });
  });

  it('answers not_found for a page id, pointing at the blog post listing', async () => {
    const { status, body } = await callTool(id, 'get_confluence_blogpost', {
      blogpost_id: SEED.pages.architecture,
    });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/get_confluence_space_blogposts/);
  });
});

describe('create_confluence_blogpost and update_confluence_blogpost', () => {
  it('creates a blog post from Markdown and finds it in search as type blogpost', async () => {
    const created = await callTool(id, 'create_confluence_blogpost', {
      space_key: 'ENG',
      title: 'Quarterly Launch Recap',
      body: '## Highlights\n\nWe launched **zebrafish** support.',
      body_format: 'markdown',
    });
    expect(created.status).toBe(200);
    expect(created.body.blogpost).toMatchObject({ title: 'Quarterly Launch Recap', version: 1 });
    const write = (await confluenceRequests()).find((r) => r.method === 'POST');
    expect(write?.path).toMatch(/\/wiki\/api\/v2\/blogposts$/);
    expect(write?.body).toMatchObject({
      spaceId: SEED.spaces.eng.id,
      status: 'current',
      body: { representation: 'storage', value: expect.stringContaining('<strong>zebrafish</strong>') },
    });
    const found = await callTool(id, 'search_confluence_pages', { cql: 'text ~ "zebrafish"' });
    expect(found.body.pages).toEqual([
      expect.objectContaining({
        id: created.body.blogpost.id,
        type: 'blogpost',
        title: 'Quarterly Launch Recap',
      }),
    ]);
  });

  it('keeps what Markdown cannot express through an edit, and refuses a Markdown body that drops it', async () => {
    const post = await newPost(`${TOC}<p>First words.</p><p>Second words.</p>`);
    const read = await callTool(id, 'get_confluence_blogpost', {
      blogpost_id: post.id,
      body_format: 'markdown',
    });
    const markdown: string = read.body.blogpost.content;
    expect(markdown).toContain('[[toc]]');
    const edited = await callTool(id, 'update_confluence_blogpost', {
      blogpost_id: post.id,
      version_number: 1,
      body: markdown.replace('Second words.', 'Second words, edited.'),
      body_format: 'markdown',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ unchanged: false, blogpost: { version: 2 } });
    const stored = await callTool(id, 'get_confluence_blogpost', { blogpost_id: post.id });
    expect(stored.body.blogpost.content).toBe(`${TOC}<p>First words.</p><p>Second words, edited.</p>`);

    await clearRequestLog();
    const lossy = await callTool(id, 'update_confluence_blogpost', {
      blogpost_id: post.id,
      version_number: 2,
      body: 'Only words now.',
      body_format: 'markdown',
    });
    expect(lossy.status).toBe(409);
    expect(lossy.body.error.code).toBe('content_loss');
    expect((await confluenceRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('writes nothing for Markdown identical to what was read', async () => {
    const post = await newPost('<p>Steady words.</p>');
    const read = await callTool(id, 'get_confluence_blogpost', {
      blogpost_id: post.id,
      body_format: 'markdown',
    });
    await clearRequestLog();
    const same = await callTool(id, 'update_confluence_blogpost', {
      blogpost_id: post.id,
      version_number: 1,
      body: read.body.blogpost.content,
      body_format: 'markdown',
    });
    expect(same.body).toMatchObject({ success: true, unchanged: true, blogpost: { version: 1 } });
    expect((await confluenceRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses a stale version_number with version_conflict naming the current one, and writes nothing', async () => {
    const post = await newPost('<p>One.</p>');
    await callTool(id, 'update_confluence_blogpost', {
      blogpost_id: post.id,
      version_number: 1,
      body: 'Two.',
    });
    await clearRequestLog();
    const stale = await callTool(id, 'update_confluence_blogpost', {
      blogpost_id: post.id,
      version_number: 1,
      body: 'Three.',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
    expect(stale.body.error.message).toMatch(/get_confluence_blogpost/);
    expect((await confluenceRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses an update with nothing to change before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'update_confluence_blogpost', {
      blogpost_id: POST,
      version_number: 1,
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/title and\/or body/);
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('comments on a blog post', () => {
  it('adds a comment with blogpost_id and reads the thread back with its reply', async () => {
    const added = await callTool(id, 'add_confluence_comment', {
      blogpost_id: POST,
      comment: 'Great release!',
    });
    expect(added.status).toBe(200);
    expect(added.body.comment).toMatchObject({ blogpost_id: POST, parent_comment_id: null });
    expect(added.body.message).toMatch(/blog post 65547/);
    const reply = await callTool(id, 'add_confluence_comment', {
      blogpost_id: POST,
      comment: 'Agreed.',
      parent_comment_id: added.body.comment.id,
    });
    expect(reply.status).toBe(200);
    const { status, body } = await callTool(id, 'get_confluence_comments', { blogpost_id: POST });
    expect(status).toBe(200);
    expect(body.blogpost_id).toBe(POST);
    expect(body.comments).toHaveLength(1);
    expect(body.comments[0]).toMatchObject({ kind: 'footer', body: 'Great release!' });
    expect(body.comments[0].replies.map((r: { body: string }) => r.body)).toEqual(['Agreed.']);
  });

  it('adds an inline comment on a passage of a blog post, reads it back and resolves it', async () => {
    await clearRequestLog();
    const added = await callTool(id, 'add_confluence_inline_comment', {
      blogpost_id: POST,
      text_selection: 'cursor pagination',
      comment: 'Which endpoints?',
    });
    expect(added.status).toBe(200);
    expect(added.body.comment).toMatchObject({
      blogpost_id: POST,
      text_selection: 'cursor pagination',
      match_count: 1,
      resolution_status: 'open',
    });
    expect(added.body.comment.page_id).toBeUndefined();
    expect(added.body.message).toMatch(/blog post 65547/);
    const sent = (await confluenceRequests()).filter((r) => r.method === 'POST');
    expect(sent.map((r) => r.path)).toEqual([expect.stringMatching(/\/wiki\/api\/v2\/inline-comments$/)]);
    const read = await callTool(id, 'get_confluence_comments', { blogpost_id: POST, kind: 'inline' });
    expect(read.body.comments).toEqual([
      expect.objectContaining({
        id: added.body.comment.id,
        kind: 'inline',
        body: 'Which endpoints?',
        text_selection: 'cursor pagination',
        resolution_status: 'open',
      }),
    ]);
    const resolved = await callTool(id, 'resolve_confluence_inline_comment', {
      comment_id: added.body.comment.id,
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.comment.resolution_status).toBe('resolved');
  });

  it('refuses an inline comment on words the blog post does not contain, posting nothing', async () => {
    await clearRequestLog();
    const { status, body } = await callTool(id, 'add_confluence_inline_comment', {
      blogpost_id: POST,
      text_selection: 'not in this post',
      comment: 'x',
    });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_arguments', match_count: 0 });
    expect(body.error.message).toMatch(/not on blog post 65547.*get_confluence_blogpost/);
    expect((await confluenceRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('asks for exactly one of page_id and blogpost_id', async () => {
    for (const args of [{}, { page_id: SEED.pages.architecture, blogpost_id: POST }]) {
      const { status, body } = await callTool(id, 'get_confluence_comments', args);
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/page_id .*blogpost_id/);
    }
    const { status } = await callTool(id, 'add_confluence_comment', { comment: 'Orphan' });
    expect(status).toBe(400);
    const inline = await callTool(id, 'add_confluence_inline_comment', {
      page_id: SEED.pages.architecture,
      blogpost_id: POST,
      text_selection: 'x',
      comment: 'x',
    });
    expect(inline.status).toBe(400);
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('allowed_spaces holds for blog posts', () => {
  it('answers a blog post of another space as not_found and sends no write', async () => {
    const policy = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
      policy: { allowed_spaces: ['OPS'] },
    });
    expect(policy.status).toBe(200);
    await clearRequestLog();
    for (const [name, args] of [
      ['get_confluence_blogpost', { blogpost_id: POST }],
      ['get_confluence_comments', { blogpost_id: POST }],
      ['add_confluence_comment', { blogpost_id: POST, comment: 'x' }],
      ['add_confluence_inline_comment', { blogpost_id: POST, text_selection: 'cursor', comment: 'x' }],
      ['update_confluence_blogpost', { blogpost_id: POST, version_number: 1, body: 'x' }],
      ['get_confluence_space_blogposts', { space_key: 'ENG' }],
      ['get_confluence_page_properties', { blogpost_id: POST }],
      ['set_confluence_page_property', { blogpost_id: POST, key: 'x', value: 1 }],
      ['create_confluence_blogpost', { space_key: 'ENG', title: 'x', body: 'x' }],
    ] as const) {
      const answer = await callTool(id, name, args);
      expect([name, answer.status, answer.body.error?.code]).toEqual([name, 404, 'not_found']);
    }
    expect((await confluenceRequests()).filter((r) => r.method !== 'GET')).toEqual([]);
    const inside = await callTool(id, 'create_confluence_blogpost', {
      space_key: 'OPS',
      title: 'Ops news',
      body: 'x',
    });
    expect(inside.status).toBe(200);
  });
});
