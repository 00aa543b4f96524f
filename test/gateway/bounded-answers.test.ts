import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import app from '../../src/index.ts';
import { emulatorControl, SERVICE_TOKEN } from './support/http.ts';
import { callTool, connectAcme, expectNoSpecViolations, injectFault, SEED } from './support/tools.ts';

/**
 * Confluence answers are read with a byte cap (CONFLUENCE_MAX_RESPONSE_BYTES, 16 MiB by default) as
 * they stream in: an isolate has 128 MB, and one huge answer must not take it down.
 */
const FORTY_MB = 40_000_000;
const CAP = 16 * 1024 * 1024;

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
});
afterEach(expectNoSpecViolations);

const streamedBytes = async () =>
  (await emulatorControl<{ streamed_bytes: number }>('GET', '/stats')).streamed_bytes;

describe('an answer over the byte cap', () => {
  it('a 40 MB page answers 502 upstream_error naming the cap and what to try, and the gateway stops reading', async () => {
    await injectFault({
      match: { path_contains: `/pages/${SEED.pages.architecture}` },
      stream_bytes: FORTY_MB,
    });
    const { status, body } = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.architecture,
      body_format: 'view',
    });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_error', retryable: false, max_response_bytes: CAP });
    expect(body.error.message).toMatch(/larger than the 16 MiB/);
    expect(body.error.message).toMatch(/CONFLUENCE_MAX_RESPONSE_BYTES/);
    expect(body.error.message).toMatch(/body_format/);
    expect(body.error.message).toMatch(/max_chars/);
    // The gateway dropped the connection past the cap: the emulator never got to send the whole
    // answer (what it did send beyond 16 MiB sat in loopback socket buffers, ~6-8 MB here).
    const sent = await streamedBytes();
    expect(sent).toBeGreaterThan(CAP);
    expect(sent).toBeLessThan(32_000_000);
  });

  it('leaves the isolate serving: after a 40 MB search answer, the next calls succeed', async () => {
    await injectFault({ match: { path_contains: '/wiki/rest/api/search' }, stream_bytes: FORTY_MB });
    const search = await callTool(id, 'search_confluence_pages', { cql: 'type = page' });
    expect(search.status).toBe(502);
    expect(search.body.error.message).toMatch(/GET \/wiki\/rest\/api\/search/);
    expect(search.body.error.message).toMatch(/smaller limit/);
    const page = await callTool(id, 'get_confluence_page', { page_id: SEED.pages.architecture });
    expect(page.status).toBe(200);
    expect(page.body.page.title).toBe('Architecture Overview');
    const spaces = await callTool(id, 'get_confluence_spaces', {});
    expect(spaces.status).toBe(200);
  });

  it('an answer just under the cap is read whole', async () => {
    // A 1 MB page from the seed, read in full: the cap costs nothing below it.
    const { status, body } = await callTool(id, 'get_confluence_page', {
      page_id: SEED.pages.huge,
      max_chars: 200_000,
    });
    expect(status).toBe(200);
    expect(body.page.total_chars).toBeGreaterThan(900_000);
  });
});

describe('CONFLUENCE_MAX_RESPONSE_BYTES', () => {
  it('defaults to 16 MiB, takes a number of bytes, and names a malformed value', () => {
    expect(parseConfig({ ...env }).values.CONFLUENCE_MAX_RESPONSE_BYTES).toBe(CAP);
    expect(
      parseConfig({ ...env, CONFLUENCE_MAX_RESPONSE_BYTES: '65536' }).values.CONFLUENCE_MAX_RESPONSE_BYTES,
    ).toBe(65_536);
    for (const bad of ['16MB', '1000', '999999999']) {
      expect(parseConfig({ ...env, CONFLUENCE_MAX_RESPONSE_BYTES: bad }).problems).toContainEqual({
        setting: 'CONFLUENCE_MAX_RESPONSE_BYTES',
        problem: 'malformed',
      });
    }
  });

  it('a lower cap refuses the 1 MB seeded page, naming the cap in bytes', async () => {
    const response = await app.fetch(
      new Request(`http://gateway.test/api/v1/integrations/${id}/tools/get_confluence_page`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ page_id: SEED.pages.huge }),
      }),
      { ...env, CONFLUENCE_MAX_RESPONSE_BYTES: '100000' },
      createExecutionContext(),
    );
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/larger than the 100000 bytes/);
  });
});
