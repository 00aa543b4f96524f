/**
 * Connects an integration through a running gateway's real HTTP surface, with an emulator that
 * approves consent at once: connect session → connect URL → consent → callback (→ site picker).
 * Returns the new integration's id.
 */
export async function connectOverHttp(options: {
  gatewayUrl: string;
  serviceToken: string;
  ownerId: string;
  name: string;
}): Promise<string> {
  const service = { authorization: `Bearer ${options.serviceToken}`, 'content-type': 'application/json' };
  const session = await fetch(`${options.gatewayUrl}/api/v1/connect-sessions`, {
    method: 'POST',
    headers: service,
    body: JSON.stringify({ owner_id: options.ownerId, name: options.name }),
  });
  if (session.status !== 201) throw new Error(`connect session: ${session.status} ${await session.text()}`);
  const { connect_url } = (await session.json()) as { connect_url: string };

  const connect = await fetch(connect_url, { redirect: 'manual' });
  const cookie = (connect.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const consent = await fetch(required(connect.headers.get('location'), 'connect'), { redirect: 'manual' });
  const callbackUrl = required(consent.headers.get('location'), 'consent (is auto-approve on?)');
  const callback = await fetch(callbackUrl, { redirect: 'manual', headers: { cookie } });
  if (callback.status >= 400) throw new Error(`callback: ${callback.status} ${await callback.text()}`);

  const html = callback.status === 200 ? await callback.text() : '';
  const pending = /name="pending"\s+value="([^"]+)"/.exec(html)?.[1];
  if (pending) {
    const siteId = required(/name="site_id"[^>]*value="([^"]+)"/.exec(html)?.[1], 'site picker');
    const finalize = await fetch(`${options.gatewayUrl}/integrations/confluence/finalize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ pending, site_id: siteId, name: options.name }),
    });
    if (finalize.status >= 400) throw new Error(`finalize: ${finalize.status} ${await finalize.text()}`);
  }

  const list = await fetch(
    `${options.gatewayUrl}/api/v1/integrations?owner_id=${encodeURIComponent(options.ownerId)}`,
    {
      headers: service,
    },
  );
  const { integrations } = (await list.json()) as { integrations: { id: string; name: string }[] };
  return required(
    integrations.find((integration) => integration.name === options.name)?.id,
    'integration list',
  );
}

function required<T>(value: T | null | undefined, step: string): T {
  if (value === null || value === undefined) throw new Error(`the connect flow stopped at ${step}`);
  return value;
}
