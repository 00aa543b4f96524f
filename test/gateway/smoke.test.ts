import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('reaches the emulator over loopback', async () => {
  const res = await exports.default.fetch('http://gateway.test/healthz');
  expect(await res.json()).toMatchObject({ ok: true });
});
