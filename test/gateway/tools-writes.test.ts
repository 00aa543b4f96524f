import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import {
  callTool,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  injectFault,
  type LoggedRequest,
  SEED,
} from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

async function sent(method: string): Promise<LoggedRequest[]> {
  return (await confluenceRequests()).filter((r) => r.method === method);
}

/** The storage value the gateway sent in its (single) write of this method. */
async function sentBody(method: 'POST' | 'PUT'): Promise<string> {
  const [write] = await sent(method);
  if (!write) throw new Error(`the gateway sent no ${method}`);
  return (write.body as { body: { value: string } }).body.value;
}

describe('create_confluence_page', () => {
  it('creates a page and answers with its id, version, url and a message', async () => {
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_id: SEED.spaces.eng.id,
      title: 'Release checklist',
      body: '<h2>Before</h2><p>Tag the release.</p>',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      page: {
        id: expect.stringMatching(/^\d+$/),
        status: 'current',
        title: 'Release checklist',
        space_id: SEED.spaces.eng.id,
        version: 1,
        url: expect.stringMatching(/^https:\/\/acme\.atlassian\.net\/wiki\/spaces\/ENG\/pages\/\d+\//),
        _links: { webui: expect.any(String) },
      },
      message: `Successfully created page 'Release checklist' in space ${SEED.spaces.eng.id}`,
    });
    const read = await callTool(id, 'get_confluence_page', { page_id: body.page.id });
    expect(read.body.page.content).toBe('<h2>Before</h2><p>Tag the release.</p>');
  });

  it('passes HTML and storage markup through unchanged', async () => {
    const markup =
      '<p>Intro</p><ac:structured-macro ac:name="info"><ac:rich-text-body><p>Note &amp; more</p></ac:rich-text-body></ac:structured-macro>';
    await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'Markup', body: markup });
    expect(await sentBody('POST')).toBe(markup);
  });

  it('escapes plain text and makes paragraphs at blank lines, <br/> at single line breaks', async () => {
    const text = 'Costs: a < b & c > d, "quoted"\nsecond line\n\n  New paragraph  \n\n\n';
    const { status } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Plain',
      body: text,
    });
    expect(status).toBe(200);
    expect(await sentBody('POST')).toBe(
      '<p>Costs: a &lt; b &amp; c &gt; d, &quot;quoted&quot;<br/>second line</p><p>New paragraph</p>',
    );
  });

  it('treats text that merely starts with "<" as plain text', async () => {
    await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Hearts',
      body: '<3 thanks, a <b',
    });
    expect(await sentBody('POST')).toBe('<p>&lt;3 thanks, a &lt;b</p>');
  });

  it('accepts a space key, a parent page and draft status', async () => {
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Child draft',
      body: 'x',
      parent_id: SEED.pages.runbooks,
      status: 'draft',
    });
    expect(status).toBe(200);
    expect(body.page).toMatchObject({
      status: 'draft',
      parent_id: SEED.pages.runbooks,
      space_id: SEED.spaces.eng.id,
    });
    const [write] = await sent('POST');
    expect(write?.body).toMatchObject({
      spaceId: SEED.spaces.eng.id,
      parentId: SEED.pages.runbooks,
      status: 'draft',
    });
  });

  it('turns a title already taken into invalid_arguments quoting Confluence', async () => {
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Architecture Overview',
      body: 'again',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
    expect(body.error.message).toMatch(/already exists/);
  });

  it('answers not_found for a space that does not exist', async () => {
    const { status, body } = await callTool(id, 'create_confluence_page', {
      space_id: '424242',
      title: 'Nowhere',
      body: 'x',
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('refuses a missing title or body before calling Confluence', async () => {
    const noTitle = await callTool(id, 'create_confluence_page', { space_key: 'ENG', body: 'x' });
    expect(noTitle.status).toBe(400);
    expect(noTitle.body.error.message).toMatch(/title/);
    const noBody = await callTool(id, 'create_confluence_page', { space_key: 'ENG', title: 'T' });
    expect(noBody.status).toBe(400);
    expect(noBody.body.error.message).toMatch(/body/);
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('update_confluence_page', () => {
  it('reads the page, then saves version current + 1, keeping the body when only the title changes', async () => {
    const before = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
      max_chars: 200_000,
    });
    await emulatorControl('DELETE', '/requests');
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      version_number: 5,
      title: 'Architecture Overview (2026)',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      page: {
        id: SEED.pages.architecture,
        title: 'Architecture Overview (2026)',
        version: 6,
        status: 'current',
      },
      message: `Successfully updated page ${SEED.pages.architecture} to version 6`,
    });
    const [read] = await sent('GET');
    expect(read?.query['body-format']).toBe('storage');
    const [write] = await sent('PUT');
    expect(write?.body).toMatchObject({
      id: SEED.pages.architecture,
      status: 'current',
      version: { number: 6 },
    });
    expect(await sentBody('PUT')).toBe(before.body.page.content);
  });

  it('keeps the title when only the body changes, and stores a version message', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      version_number: 5,
      body: 'Rewritten.',
      version_message: 'Simplified',
    });
    expect(status).toBe(200);
    expect(body.page.title).toBe('Architecture Overview');
    const read = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(read.body.page).toMatchObject({
      content: '<p>Rewritten.</p>',
      version: { number: 6, message: 'Simplified' },
    });
  });

  it('keeps a draft a draft when status "draft" is given', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.draft,
      version_number: 1,
      body: 'More goals.',
      status: 'draft',
    });
    expect(status).toBe(200);
    expect(body.page.status).toBe('draft');
  });

  it('publishes with status "current" by default, as the contract (and Potpie) define', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.draft,
      version_number: 1,
      body: 'Final goals.',
    });
    expect(status).toBe(200);
    expect(body.page.status).toBe('current');
  });

  it('refuses a stale version_number with version_conflict and the current version, writing nothing', async () => {
    await emulatorControl('POST', `/pages/${SEED.pages.architecture}/edit`, { body: '<p>Bob was here</p>' });
    await emulatorControl('DELETE', '/requests');
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      version_number: 5,
      body: 'Mine',
    });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({
      code: 'version_conflict',
      retryable: false,
      current_version: { number: 6, author_id: expect.any(String), created_at: expect.any(String) },
    });
    expect(body.error.message).toMatch(/version 6/);
    expect(body.error.message).toMatch(/get_confluence_page/);
    expect(body.error.message).toMatch(/merge/);
    expect(await sent('PUT')).toEqual([]);
    const read = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(read.body.page.content).toBe('<p>Bob was here</p>');
  });

  it('also refuses a version_number ahead of the page', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      version_number: 9,
      title: 'Future',
    });
    expect(status).toBe(409);
    expect(body.error.current_version.number).toBe(5);
  });

  it('reports an edit that lands between its read and its write as version_conflict, and keeps that edit', async () => {
    // The gateway's PUT is held at the emulator while Bob saves version 6; Confluence then refuses
    // the gateway's version 6.
    await injectFault({
      match: { method: 'PUT', path_contains: `/pages/${SEED.pages.architecture}` },
      hold: true,
    });
    const call = callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      version_number: 5,
      body: 'Mine',
    });
    const { held } = await emulatorControl<{ held: unknown[] }>('GET', '/held?wait_ms=20000');
    expect(held).toHaveLength(1);
    await emulatorControl('POST', `/pages/${SEED.pages.architecture}/edit`, {
      body: '<p>Bob got there first</p>',
    });
    await emulatorControl('POST', '/held/release');
    const { status, body } = await call;
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 6 } });
    // The gateway kept Bob's edit: it sent one PUT, for version 6 as read, and did not try again
    // over the top of his (no second PUT with version 7).
    const writes = (await confluenceRequests()).filter((r) => r.method !== 'GET');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ method: 'PUT', status: 409, body: { version: { number: 6 } } });
    const read = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(read.body.page.content).toBe('<p>Bob got there first</p>');
  });

  it('refuses an update that changes nothing, before calling Confluence', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      version_number: 5,
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/nothing to change/);
    const noVersion = await callTool(id, 'update_confluence_page', {
      page_id: SEED.pages.architecture,
      title: 'x',
    });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.message).toMatch(/version_number/);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('answers not_found for a page that does not exist', async () => {
    const { status, body } = await callTool(id, 'update_confluence_page', {
      page_id: '999999',
      version_number: 1,
      title: 'x',
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});

describe('add_confluence_comment', () => {
  it('adds a footer comment to the page, plain text made a paragraph', async () => {
    const { status, body } = await callTool(id, 'add_confluence_comment', {
      page_id: SEED.pages.architecture,
      comment: 'Looks good & ships Friday',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      comment: {
        id: expect.stringMatching(/^\d+$/),
        status: 'current',
        page_id: SEED.pages.architecture,
        parent_comment_id: null,
        version: 1,
        author_id: expect.any(String),
        created_at: expect.any(String),
        _links: { webui: expect.any(String) },
      },
      message: `Successfully added comment to page ${SEED.pages.architecture}`,
    });
    const [write] = await sent('POST');
    expect(write?.body).toEqual({
      pageId: SEED.pages.architecture,
      body: { representation: 'storage', value: '<p>Looks good &amp; ships Friday</p>' },
    });
  });

  it('replies in a thread when given parent_comment_id', async () => {
    const { status, body } = await callTool(id, 'add_confluence_comment', {
      page_id: SEED.pages.architecture,
      comment: '<p>Agreed.</p>',
      parent_comment_id: SEED.comments.onArchitecture,
    });
    expect(status).toBe(200);
    expect(body.comment).toMatchObject({
      parent_comment_id: SEED.comments.onArchitecture,
      page_id: SEED.pages.architecture,
    });
    expect(body.message).toMatch(/reply/);
    const [write] = await sent('POST');
    expect(write?.body).toEqual({
      parentCommentId: SEED.comments.onArchitecture,
      body: { representation: 'storage', value: '<p>Agreed.</p>' },
    });
  });

  it('answers not_found for a page the user may not see', async () => {
    const { status, body } = await callTool(id, 'add_confluence_comment', {
      page_id: SEED.pages.restricted,
      comment: 'hello',
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('refuses an empty comment before calling Confluence', async () => {
    const { status } = await callTool(id, 'add_confluence_comment', {
      page_id: SEED.pages.architecture,
      comment: '',
    });
    expect(status).toBe(400);
    expect(await confluenceRequests()).toEqual([]);
  });
});
