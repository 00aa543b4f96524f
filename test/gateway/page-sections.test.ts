import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import app from '../../src/index.ts';
import { emulatorControl, GATEWAY, SERVICE_TOKEN } from './support/http.ts';
import {
  callTool,
  clearRequestLog,
  confluenceRequests,
  expectNoSpecViolations,
  freshAcme,
  type ToolAnswer,
} from './support/tools.ts';

// A long page read by its outline, one section read by its heading, and that section changed: the
// way get_confluence_page's description leads an agent through a long page.

const RUNBOOK =
  '<h1>Runbook</h1><p>Intro.</p><h2>Deploy</h2><p>Step one.</p><h3>Canary</h3><p>Watch the graphs.</p>' +
  '<h2>Rollback</h2><ul><li>Undo it.</li></ul>';

let id: string;
let pageId: string;
beforeEach(async () => {
  id = await freshAcme();
  const created = await callTool(id, 'create_confluence_page', {
    space_key: 'ENG',
    title: `Runbook ${Date.now()}`,
    body: RUNBOOK,
  });
  expect(created.status).toBe(200);
  pageId = created.body.page.id;
  await clearRequestLog();
});
afterEach(expectNoSpecViolations);

const read = (args: Record<string, unknown>) =>
  callTool(id, 'get_confluence_page', { page_id: pageId, ...args });

describe('get_confluence_page with outline', () => {
  it('answers the headings, their levels and the size of each section, with no content', async () => {
    const { status, body } = await read({ body_format: 'markdown', outline: true });
    expect(status).toBe(200);
    expect(body.page).toMatchObject({ content: '', truncated: false, offset: 0, version: { number: 1 } });
    expect(body.page.outline.map(({ chars: _, ...entry }: { chars: number }) => entry)).toEqual([
      { level: 1, heading: 'Runbook' },
      { level: 2, heading: 'Deploy' },
      { level: 3, heading: 'Canary' },
      { level: 2, heading: 'Rollback' },
    ]);
    // Each size is what reading that section gives.
    for (const { heading, chars } of body.page.outline) {
      const section = await read({ body_format: 'markdown', section: heading });
      expect(section.body.page.total_chars, heading).toBe(chars);
    }
  });

  it('is refused for the rendered formats and beside section, before Confluence is asked', async () => {
    const view = await read({ body_format: 'view', outline: true });
    expect(view.status).toBe(400);
    expect(view.body.error).toMatchObject({
      code: 'invalid_arguments',
      message: expect.stringMatching(/markdown or storage/),
    });
    const both = await read({ body_format: 'markdown', outline: true, section: 'Deploy' });
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('invalid_arguments');
    expect(await confluenceRequests()).toEqual([]);
  });
});

describe('get_confluence_page with section', () => {
  it('reads only the section under the heading, its subsections included, in Markdown or storage', async () => {
    const markdown = await read({ body_format: 'markdown', section: 'deploy' });
    expect(markdown.status).toBe(200);
    expect(markdown.body.page).toMatchObject({
      section: 'Deploy',
      content: 'Step one.\n\n### Canary\n\nWatch the graphs.',
      content_format: 'markdown',
      truncated: false,
    });
    const storage = await read({ body_format: 'storage', section: 'Rollback' });
    expect(storage.body.page).toMatchObject({ section: 'Rollback', content: '<ul><li>Undo it.</li></ul>' });
  });

  it('slices a section with offset and max_chars like a whole page', async () => {
    const first = await read({ body_format: 'markdown', section: 'Deploy', max_chars: 10 });
    expect(first.body.page).toMatchObject({ content: 'Step one.\n', truncated: true, next_offset: 10 });
    const rest = await read({ body_format: 'markdown', section: 'Deploy', offset: 10 });
    expect(first.body.page.content + rest.body.page.content).toBe(
      'Step one.\n\n### Canary\n\nWatch the graphs.',
    );
  });

  it('refuses a heading that names no section with the list of headings', async () => {
    const { status, body } = await read({ body_format: 'markdown', section: 'Nowhere' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
    expect(body.error.headings).toEqual(['# Runbook', '## Deploy', '### Canary', '## Rollback']);
  });

  it('reads what update_confluence_page_section changes under the same heading', async () => {
    const before = await read({ body_format: 'markdown', section: 'Canary' });
    const written = await callTool(id, 'update_confluence_page_section', {
      page_id: pageId,
      version_number: before.body.page.version.number,
      heading: before.body.page.section,
      body: `${before.body.page.content}\n\nThen wait ten minutes.`,
    });
    expect(written.status).toBe(200);
    const after = await read({ body_format: 'markdown', section: 'Canary' });
    expect(after.body.page.content).toBe('Watch the graphs.\n\nThen wait ten minutes.');
    expect((await read({ body_format: 'markdown', section: 'Rollback' })).body.page.content).toBe(
      '- Undo it.',
    );
  });
});

describe('with the read cache on (its default)', () => {
  const cached = { CONFLUENCE_READ_CACHE_SECONDS: '30' };

  /** A tool call with the cache on; waits for the waitUntil work (the cache's puts). */
  async function cachedCall(tool: string, args: Record<string, unknown>): Promise<ToolAnswer> {
    const ctx = createExecutionContext();
    const response = await app.fetch(
      new Request(`${GATEWAY}/api/v1/integrations/${id}/tools/${tool}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      }),
      { ...env, ...cached },
      ctx,
    );
    const answer = { status: response.status, body: await response.json() };
    await waitOnExecutionContext(ctx);
    return answer;
  }

  it('reads the page once from Confluence for its outline, a section and the change to it', async () => {
    const outline = await cachedCall('get_confluence_page', {
      page_id: pageId,
      body_format: 'markdown',
      outline: true,
    });
    const section = await cachedCall('get_confluence_page', {
      page_id: pageId,
      body_format: 'markdown',
      section: 'Rollback',
    });
    const written = await cachedCall('update_confluence_page_section', {
      page_id: pageId,
      version_number: section.body.page.version.number,
      heading: 'Rollback',
      body: '- Undo it.\n- Tell the channel.',
    });
    expect(written.status).toBe(200);
    expect([outline.body.points, section.body.points, written.body.points]).toEqual([2, 0, 1]);
    expect((await confluenceRequests()).map((request) => request.method)).toEqual(['GET', 'PUT']);
  });

  it('refuses a change based on a version older than the read it holds, writing nothing', async () => {
    const first = await cachedCall('update_confluence_page_section', {
      page_id: pageId,
      version_number: 1,
      heading: 'Deploy',
      body: 'Step one, then two.',
    });
    expect(first.status).toBe(200);
    // The read after the write is cached at version 2; an agent still on version 1 must not win.
    await cachedCall('get_confluence_page', { page_id: pageId, body_format: 'markdown' });
    const stale = await cachedCall('update_confluence_page_section', {
      page_id: pageId,
      version_number: 1,
      heading: 'Rollback',
      body: 'Nothing to undo.',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
    expect((await confluenceRequests()).filter((request) => request.method === 'PUT')).toHaveLength(1);
  });

  it('refuses a change when the page was edited in Confluence after the cached read, keeping that edit', async () => {
    const section = await cachedCall('get_confluence_page', {
      page_id: pageId,
      body_format: 'markdown',
      section: 'Deploy',
    });
    await emulatorControl('POST', `/pages/${pageId}/edit`, { body: `${RUNBOOK}<p>Bob was here.</p>` });
    const change = await cachedCall('update_confluence_page_section', {
      page_id: pageId,
      version_number: section.body.page.version.number,
      heading: 'Deploy',
      body: 'Step one, then two.',
    });
    expect(change.status).toBe(409);
    expect(change.body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
    const now = await read({ body_format: 'storage' });
    expect(now.body.page.content).toBe(`${RUNBOOK}<p>Bob was here.</p>`);
  });

  it('answers unchanged only for the page as it is now: an edit made in Confluence after the cached read is a version_conflict', async () => {
    const seen = await cachedCall('get_confluence_page', { page_id: pageId, body_format: 'markdown' });
    await emulatorControl('POST', `/pages/${pageId}/edit`, { body: `${RUNBOOK}<p>Bob was here.</p>` });
    // The same content sent back: against the cached read nothing would change, so nothing would be
    // written, and no PUT would let Confluence see the version is old.
    const whole = await cachedCall('update_confluence_page', {
      page_id: pageId,
      version_number: seen.body.page.version.number,
      title: seen.body.page.title,
      body: seen.body.page.content,
      body_format: 'markdown',
    });
    expect(whole.status).toBe(409);
    expect(whole.body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
    const section = await cachedCall('get_confluence_page', {
      page_id: pageId,
      body_format: 'markdown',
      section: 'Deploy',
    });
    const same = await cachedCall('update_confluence_page_section', {
      page_id: pageId,
      version_number: 1,
      heading: 'Deploy',
      body: section.body.page.content.replace(/^#+ Deploy\n+/, ''),
    });
    expect(same.status).toBe(409);
    expect(same.body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
    expect((await confluenceRequests()).filter((request) => request.method === 'PUT')).toHaveLength(0);
  });

  it('deletes only after reading the page fresh, even when an earlier refused change left a read of it cached', async () => {
    // A change refused for its version leaves the update's own read of the page (at version 1) cached.
    const refused = await cachedCall('update_confluence_page_section', {
      page_id: pageId,
      version_number: 2,
      heading: 'Deploy',
      body: 'Step one, then two.',
    });
    expect(refused.status).toBe(409);
    await emulatorControl('POST', `/pages/${pageId}/edit`, { body: `${RUNBOOK}<p>Bob was here.</p>` });
    const deleted = await cachedCall('delete_confluence_page', { page_id: pageId, version_number: 1 });
    expect(deleted.status).toBe(409);
    expect(deleted.body.error).toMatchObject({ code: 'version_conflict', current_version: { number: 2 } });
    expect((await read({ body_format: 'storage' })).body.page.content).toContain('Bob was here.');
  });

  it('never deletes a page from a cached read: an edit made in Confluence since is a version_conflict', async () => {
    const page = await cachedCall('get_confluence_page', { page_id: pageId, body_format: 'markdown' });
    await emulatorControl('POST', `/pages/${pageId}/edit`, { body: `${RUNBOOK}<p>Bob was here.</p>` });
    const deleted = await cachedCall('delete_confluence_page', {
      page_id: pageId,
      version_number: page.body.page.version.number,
    });
    expect(deleted.status).toBe(409);
    expect(deleted.body.error.code).toBe('version_conflict');
    expect((await read({ body_format: 'storage' })).status).toBe(200);
  });
});
