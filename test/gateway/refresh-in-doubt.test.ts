import { abortAllDurableObjects, reset, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetAccessToken } from '../../src/vault/access-token.ts';
import { nextRetryAt } from '../../src/vault/token-refresher.ts';
import { emulatorControl, serviceApi } from './support/http.ts';
import { heldTokens, integrationWithStaleToken, refresher } from './support/vault.ts';

/**
 * Atlassian rotates the refresh token on every refresh; reuse of the rotated-out one is tolerated for
 * ten minutes, then revokes the whole family. A refresh whose answer is lost may have rotated it: the
 * gateway must settle that within the leeway, whether or not another call comes.
 */
beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

function listSpaces(id: string) {
  return serviceApi('POST', `/api/v1/integrations/${id}/tools/get_confluence_spaces`, {});
}

/**
 * A tool call whose refresh Atlassian carries out (rotating the token) but whose answer is lost, and
 * lost again when the gateway repeats it at once.
 */
async function refreshWithLostAnswer(id: string): Promise<void> {
  await emulatorControl('POST', '/faults', {
    match: { method: 'POST', path_contains: '/oauth/token' },
    drop_answer: true,
    times: 2,
  });
  const response = await listSpaces(id);
  expect(response.status).toBe(502);
  expect(await response.json()).toMatchObject({ error: { code: 'upstream_error', retryable: true } });
}

const inDoubt = (id: string) =>
  runInDurableObject(refresher(id), async (_instance, state) => ({
    mark: await state.storage.get<{ since: number }>('refresh_in_doubt'),
    alarm: await state.storage.getAlarm(),
  }));

/**
 * Runs the object's alarm and expects the doubt settled. Should workerd have fired the alarm on its
 * own first (the first retry is due 15 s after the lost answer), the outcome checked is the same.
 */
async function alarmSettles(id: string): Promise<void> {
  await vi.waitFor(
    async () => {
      await runDurableObjectAlarm(refresher(id));
      expect(await inDoubt(id)).toEqual({ mark: undefined, alarm: null });
    },
    { timeout: 10_000, interval: 100 },
  );
}

const advanceAtlassianClock = (seconds: number) =>
  emulatorControl('POST', '/clock', { advance_seconds: seconds });

async function integrationStatus(id: string): Promise<string> {
  return ((await (await serviceApi('GET', `/api/v1/integrations/${id}`)).json()) as { status: string })
    .status;
}

describe('a refresh whose answer is lost', () => {
  it('is marked in doubt before the request leaves, with an alarm inside the 10-minute leeway', async () => {
    const id = await integrationWithStaleToken();
    const before = Date.now();
    await refreshWithLostAnswer(id);
    const { mark, alarm } = await inDoubt(id);
    expect(mark?.since).toBeGreaterThanOrEqual(before);
    expect(alarm).not.toBeNull();
    expect((alarm as number) - (mark?.since as number)).toBeLessThan(10 * 60_000);
  });

  it('is retried by the alarm with no traffic, and the integration survives past the leeway', async () => {
    const id = await integrationWithStaleToken();
    const old = await heldTokens(id);
    await refreshWithLostAnswer(id);
    // Nobody calls. Within the leeway the alarm fires and retries with the stored token.
    await advanceAtlassianClock(30);
    await alarmSettles(id);
    expect((await heldTokens(id)).refresh_token).not.toBe(old.refresh_token);

    // Long past the leeway, the user has done nothing and the integration still works, refreshes included.
    await advanceAtlassianClock(3600);
    forgetAccessToken(id);
    const response = await listSpaces(id);
    expect(response.status).toBe(200);
    expect(await integrationStatus(id)).toBe('active');
  });

  it('without that retry, the first call past the leeway would have needed a reconnect', async () => {
    const id = await integrationWithStaleToken();
    await refreshWithLostAnswer(id);
    // What the gateway did before: nothing until the next call. Take the alarm away to show it.
    await runInDurableObject(refresher(id), (_instance, state) => state.storage.deleteAlarm());
    await advanceAtlassianClock(601);
    const response = await listSpaces(id);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'needs_reauth' } });
    expect(await integrationStatus(id)).toBe('needs_reauth');
  });

  it('left behind by an object that stopped before storing the answer is retried when it loads again', async () => {
    const id = await integrationWithStaleToken();
    await refreshWithLostAnswer(id);
    // The object goes away with its alarm lost; only the durable mark is left. It is stopped at
    // once, storage kept, as a crash or a deploy stops it (a graceful eviction would wait ten
    // seconds here for in-flight requests to drain).
    await runInDurableObject(refresher(id), (_instance, state) => state.storage.deleteAlarm());
    await advanceAtlassianClock(60);
    await abortAllDurableObjects();
    await alarmSettles(id);
    await advanceAtlassianClock(601);
    forgetAccessToken(id);
    expect((await listSpaces(id)).status).toBe(200);
  });

  it('keeps retrying inside the leeway while Atlassian stays unreachable, then stops', async () => {
    const since = 1_000_000;
    const attempts: number[] = [];
    for (let at: number | undefined = since; at !== undefined; at = nextRetryAt(since, at)) attempts.push(at);
    expect(attempts.map((at) => (at - since) / 1000)).toEqual([0, 15, 30, 60, 120, 240, 480, 540]);
  });
});

describe('a clear refusal', () => {
  it('a 429 from the token endpoint leaves no doubt and no alarm behind', async () => {
    const id = await integrationWithStaleToken();
    await emulatorControl('POST', '/faults', {
      match: { method: 'POST', path_contains: '/oauth/token' },
      status: 429,
      retry_after_seconds: 30,
    });
    expect((await listSpaces(id)).status).toBe(502);
    expect(await inDoubt(id)).toEqual({ mark: undefined, alarm: null });
  });
});
