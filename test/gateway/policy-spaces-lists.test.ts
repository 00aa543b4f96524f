/**
 * The space fence's second wall: every item of a list answer is checked, not only the answer. Each
 * test makes the emulator slip one item of a fenced space into a list Confluence would have kept
 * to the page's own space (as a bug in Confluence's filter or in the gateway's confinement would),
 * and proves the item never reaches the agent: the call is refused, or the item is left out.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { serviceApi } from './support/http.ts';
import { callTool, clearRequestLog, freshAcme, injectFault, SEED } from './support/tools.ts';

/** The on-call page of OPS (test/emulator/seed.ts), outside the ENG-only policy below. */
const OPS_PAGE = { id: '65602', title: 'On-call Schedule', spaceId: SEED.spaces.ops.id };
const ENG_PAGE = SEED.pages.architecture;

let id: string;
beforeEach(async () => {
  id = await freshAcme();
  const patched = await serviceApi('PATCH', `/api/v1/integrations/${id}`, {
    policy: { allowed_spaces: ['ENG'] },
  });
  expect(patched.status).toBe(200);
  await clearRequestLog();
});

/** The answer carries nothing of the fenced item: refused outright, or answered without it. */
function expectFencedOut(answer: { status: number; body: unknown }, fencedId: string, fencedText: string) {
  const text = JSON.stringify(answer.body);
  expect([200, 404]).toContain(answer.status);
  expect(text).not.toContain(`"${fencedId}"`);
  expect(text).not.toContain(fencedText);
}

describe('allowed_spaces, item by item', () => {
  it('keeps a child of another space out of a page-children answer', async () => {
    await injectFault({
      match: { method: 'GET', path_contains: `/pages/${SEED.pages.engHome}/direct-children` },
      status: 200,
      body: {
        results: [
          {
            id: OPS_PAGE.id,
            status: 'current',
            title: OPS_PAGE.title,
            type: 'page',
            spaceId: OPS_PAGE.spaceId,
          },
        ],
        _links: {},
      },
    });
    const answer = await callTool(id, 'get_confluence_page_children', { page_id: SEED.pages.engHome });
    expectFencedOut(answer, OPS_PAGE.id, OPS_PAGE.title);
  });

  it('keeps a comment on a page of another space out of a comments answer', async () => {
    const secret = 'A comment about the on-call rota';
    await injectFault({
      match: { method: 'GET', path_contains: `/pages/${ENG_PAGE}/footer-comments` },
      status: 200,
      body: {
        results: [
          {
            id: '999001',
            status: 'current',
            title: 'Re: On-call Schedule',
            pageId: OPS_PAGE.id,
            version: { number: 1, createdAt: '2026-11-01T00:00:00.000Z', authorId: 'x' },
            body: { storage: { representation: 'storage', value: `<p>${secret}</p>` } },
            _links: { webui: `/spaces/OPS/pages/${OPS_PAGE.id}` },
          },
        ],
        _links: {},
      },
    });
    const answer = await callTool(id, 'get_confluence_comments', {
      page_id: ENG_PAGE,
      kind: 'footer',
      include_replies: false,
    });
    expectFencedOut(answer, '999001', secret);
  });

  it('keeps an attachment of a page of another space out of an attachments answer', async () => {
    await injectFault({
      match: { method: 'GET', path_contains: `/pages/${ENG_PAGE}/attachments` },
      status: 200,
      body: {
        results: [
          {
            id: 'att999001',
            status: 'current',
            title: 'oncall-rota.xlsx',
            pageId: OPS_PAGE.id,
            mediaType: 'application/octet-stream',
            fileSize: 10,
            version: { number: 1, createdAt: '2026-11-01T00:00:00.000Z' },
            _links: {},
          },
        ],
        _links: {},
      },
    });
    const answer = await callTool(id, 'get_confluence_attachments', { page_id: ENG_PAGE });
    expectFencedOut(answer, 'att999001', 'oncall-rota.xlsx');
  });
});
