import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED as EMULATOR_SEED } from '../../dev/emulator/seed.ts';
import { CLOUD_IDS } from '../../dev/emulator/sites.ts';
import { connectIntegration } from './support/connect.ts';
import { emulatorControl } from './support/http.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, SEED } from './support/tools.ts';

const GLOBEX = EMULATOR_SEED.globex;

// acme and globex both have a space with the key ENG, with different ids.
let acme: string;
let globex: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  acme = (await connectIntegration({ ownerId: 'owner-sites', name: 'Acme', preset: 'default' })).id;
  globex = (
    await connectIntegration({
      ownerId: 'owner-sites',
      name: 'Globex',
      preset: 'default',
      siteId: CLOUD_IDS.globex,
    })
  ).id;
  await emulatorControl('DELETE', '/requests');
});
afterEach(expectNoSpecViolations);

describe('tool calls on a second site', () => {
  it("go to that site's cloud id and read that site's content", async () => {
    const { status, body } = await callTool(globex, 'get_confluence_page', {
      page_id: GLOBEX.pages.welcome.id,
    });
    expect(status).toBe(200);
    expect(body.page).toMatchObject({
      id: GLOBEX.pages.welcome.id,
      title: GLOBEX.pages.welcome.title,
      space_id: GLOBEX.spaces.handbook.id,
    });
    expect(body.page.url).toMatch(/^https:\/\/globex\.atlassian\.net\/wiki\//);
    const [request] = await confluenceRequests();
    expect(request?.path).toBe(
      `/ex/confluence/${CLOUD_IDS.globex}/wiki/api/v2/pages/${GLOBEX.pages.welcome.id}`,
    );
  });

  it('a page id of the other site is not found, not read from it', async () => {
    const { status, body } = await callTool(globex, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
    });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('resolve a space key on their own site, also when the other site has the same key cached', async () => {
    const onAcme = await callTool(acme, 'get_confluence_space_pages', { space_key: 'ENG', limit: 5 });
    expect(onAcme.body.space_id).toBe(SEED.spaces.eng.id);
    const onGlobex = await callTool(globex, 'get_confluence_space_pages', { space_key: 'ENG', limit: 5 });
    expect(onGlobex.status).toBe(200);
    expect(onGlobex.body.space_id).toBe(GLOBEX.spaces.eng.id);
    expect(onGlobex.body.pages.map((p: { id: string }) => p.id)).toContain(GLOBEX.pages.multilingual.id);
  });

  it('create a page by space key in the space of that site, never in the same-keyed space of another', async () => {
    await callTool(acme, 'get_confluence_space_pages', { space_key: 'ENG', limit: 1 });
    await emulatorControl('DELETE', '/requests');
    const { status, body } = await callTool(globex, 'create_confluence_page', {
      space_key: 'ENG',
      title: 'Written on Globex',
      body: 'Hello from the second site.',
    });
    expect(status).toBe(200);
    const create = (await confluenceRequests()).find((r) => r.method === 'POST');
    expect(create?.path).toBe(`/ex/confluence/${CLOUD_IDS.globex}/wiki/api/v2/pages`);
    expect(create?.body).toMatchObject({ spaceId: GLOBEX.spaces.eng.id, title: 'Written on Globex' });
    const read = await callTool(globex, 'get_confluence_page', { page_id: body.page.id });
    expect(read.body.page.space_id).toBe(GLOBEX.spaces.eng.id);
  });
});

describe('get_confluence_page on text outside ASCII', () => {
  it('returns emoji and CJK text whole, in the title and the content', async () => {
    const { status, body } = await callTool(globex, 'get_confluence_page', {
      page_id: GLOBEX.pages.multilingual.id,
    });
    expect(status).toBe(200);
    expect(body.page.title).toBe('多言語ノート 🌏');
    expect(body.page.content).toContain('リリース手順 🚀');
    expect(body.page.content).toContain('한국어 메모 👩‍💻');
    expect(body.page.total_chars).toBe(body.page.content.length);
  });

  it('never cuts a slice between the two halves of an emoji: it ends before it and the next starts on it', async () => {
    const whole = (await callTool(globex, 'get_confluence_page', { page_id: GLOBEX.pages.multilingual.id }))
      .body.page.content as string;
    const rocket = whole.indexOf('🚀');
    expect(rocket).toBeGreaterThan(0);
    // max_chars ends the slice after the high surrogate of 🚀. (Numbers and well-formedness are
    // checked before text: a lone surrogate in a failure message breaks the test runner's channel.)
    const first = await callTool(globex, 'get_confluence_page', {
      page_id: GLOBEX.pages.multilingual.id,
      max_chars: rocket + 1,
    });
    expect(first.body.page).toMatchObject({ truncated: true, next_offset: rocket });
    expect((first.body.page.content as string).isWellFormed()).toBe(true);
    expect(first.body.page.content).toBe(whole.slice(0, rocket));
    const second = await callTool(globex, 'get_confluence_page', {
      page_id: GLOBEX.pages.multilingual.id,
      offset: rocket,
      max_chars: 2,
    });
    expect(second.body.page.content).toBe('🚀');
    // Every slice, at every cut, is well-formed text that reassembles into the whole.
    let content = '';
    let offset = 0;
    while (offset < whole.length) {
      const { body } = await callTool(globex, 'get_confluence_page', {
        page_id: GLOBEX.pages.multilingual.id,
        offset,
        max_chars: 7,
      });
      expect((body.page.content as string).isWellFormed(), `the slice at ${offset}`).toBe(true);
      content += body.page.content;
      if (!body.page.truncated) break;
      offset = body.page.next_offset;
    }
    expect(content).toBe(whole);
  });
});
