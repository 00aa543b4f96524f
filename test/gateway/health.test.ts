import { describe, expect, it } from 'vitest';
import { gateway, serviceApi } from './support/http.ts';

describe('GET /healthz', () => {
  it('answers 200 when every setting is present and well-formed', async () => {
    const response = await gateway('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });
});

describe('unknown routes', () => {
  it('answer 404 not_found in the error shape', async () => {
    const response = await serviceApi('GET', '/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      success: false,
      error: { code: 'not_found', retryable: false },
    });
  });
});
