import { reset } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, connectAcme, SEED } from './support/tools.ts';

/**
 * The access token died behind the gateway's back (Atlassian answers it 404, not 401), and the
 * answer to the refresh that should replace it is lost on the way. Atlassian has rotated the refresh
 * token, but lets the old one be spent again for ten minutes: the gateway must use that at once, and
 * never tell an agent that something does not exist when only its token is in trouble.
 */
beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

const LOSE_REFRESH_ANSWER = { match: { method: 'POST', path_contains: '/oauth/token' }, drop_answer: true };

/** An integration whose access token Atlassian has just stopped accepting (answered 404 on v2). */
async function integrationWithDeadToken(): Promise<string> {
  const id = await connectAcme();
  expect((await callTool(id, 'get_confluence_spaces')).status).toBe(200);
  await emulatorControl('POST', '/tokens/expire', {});
  return id;
}

describe('a refresh whose answer is lost while the access token is dead', () => {
  it('is repeated at once inside the leeway, so the same call succeeds', async () => {
    const id = await integrationWithDeadToken();
    await emulatorControl('POST', '/faults', LOSE_REFRESH_ANSWER);
    const answer = await callTool(id, 'get_confluence_spaces');
    expect(answer.status).toBe(200);
    expect(answer.body.spaces.length).toBeGreaterThan(0);
  });

  it('that cannot settle yet is a retryable error with retry_after_seconds, and the next call recovers', async () => {
    const id = await integrationWithDeadToken();
    await emulatorControl('POST', '/faults', { ...LOSE_REFRESH_ANSWER, times: 2 });
    const answer = await callTool(id, 'get_confluence_spaces');
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(answer.body.error.retry_after_seconds).toBeGreaterThan(0);
    expect(answer.body.error.message).toMatch(/in doubt/);
    const next = await callTool(id, 'get_confluence_spaces');
    expect(next.status).toBe(200);
  });

  it('is never answered not_found, even when the token probe proves nothing', async () => {
    const id = await integrationWithDeadToken();
    // Atlassian's accessible-resources (the probe that tells a dead token from a missing page) fails too.
    await emulatorControl('POST', '/faults', {
      match: { method: 'GET', path_contains: '/oauth/token/accessible-resources' },
      status: 503,
      times: 10,
    });
    await emulatorControl('POST', '/faults', { ...LOSE_REFRESH_ANSWER, times: 2 });
    for (const [tool, args] of [
      ['get_confluence_spaces', {}],
      ['get_confluence_page', { page_id: SEED.pages.architecture }],
    ] as const) {
      const answer = await callTool(id, tool, args);
      expect([tool, answer.body.error?.code]).not.toEqual([tool, 'not_found']);
      expect(answer.status === 200 || answer.body.error.retryable).toBe(true);
    }
    expect((await callTool(id, 'get_confluence_spaces')).status).toBe(200);
  });

  it('a page that really is missing is still not_found when the probe proves nothing', async () => {
    const id = await connectAcme();
    await emulatorControl('POST', '/faults', {
      match: { method: 'GET', path_contains: '/oauth/token/accessible-resources' },
      status: 503,
      times: 10,
    });
    const answer = await callTool(id, 'get_confluence_page', { page_id: '12345678' });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});
