import { createExecutionContext, reset, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, expect, it } from 'vitest';
import app from '../../src/index.ts';
import { emulatorControl, GATEWAY, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import { connectAcme, SEED } from './support/tools.ts';

beforeEach(async () => {
  await reset();
  await emulatorControl('POST', '/reset');
});

/** A refused write (the integration is read-only) through a gateway whose TOOL_CALLS_PER_MINUTE is `limit`. */
async function refusedWrite(id: string, limit: number): Promise<number> {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request(`${GATEWAY}/api/v1/integrations/${id}/tools/update_confluence_page`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ page_id: SEED.pages.architecture, version_number: 5, body: 'x' }),
    }),
    { ...env, TOOL_CALLS_PER_MINUTE: String(limit) },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  await response.body?.cancel();
  return response.status;
}

async function auditEntries(id: string): Promise<Record<string, unknown>[]> {
  const response = await serviceApi('GET', `/api/v1/integrations/${id}/audit?limit=200`);
  return ((await response.json()) as { entries: Record<string, unknown>[] }).entries;
}

it('a loop on a denied tool spends the call budget, and its identical refusals are one entry with a count', async () => {
  const id = await connectAcme();
  expect(
    (await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { read_only: true } })).status,
  ).toBe(200);

  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) statuses.push(await refusedWrite(id, 5));
  // Refused calls count: past the budget the loop meets 429 rate_limited, which is not recorded.
  expect(statuses.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
  expect(statuses.slice(5)).toEqual(Array(7).fill(429));

  const entries = await auditEntries(id);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    tool: 'update_confluence_page',
    outcome: 'forbidden',
    refused_by: { rule: 'read_only', policy: 'integration' },
    targets: { page_id: SEED.pages.architecture },
    count: 5,
  });
  expect(Date.parse(entries[0]?.last_at as string)).toBeGreaterThanOrEqual(
    Date.parse(entries[0]?.at as string),
  );
});

it('keeps refusals of different targets apart', async () => {
  const id = await connectAcme();
  await serviceApi('PATCH', `/api/v1/integrations/${id}`, { policy: { read_only: true } });
  for (const page_id of [SEED.pages.architecture, SEED.pages.runbooks, SEED.pages.architecture]) {
    await serviceApi('POST', `/api/v1/integrations/${id}/tools/update_confluence_page`, {
      page_id,
      version_number: 1,
      body: 'x',
    });
  }
  await expect
    .poll(async () =>
      (await auditEntries(id)).map((entry) => [(entry.targets as { page_id: string }).page_id, entry.count]),
    )
    .toEqual([
      [SEED.pages.runbooks, undefined],
      [SEED.pages.architecture, 2],
    ]);
});
