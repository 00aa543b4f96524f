import { Hono } from 'hono';
import { currentVersion } from '../confluence/content-store.ts';
import type { EmulatorEnv } from '../env.ts';
import { DEFAULT_CLIENT } from '../oauth/clients.ts';
import { DEFAULT_SCOPES } from '../oauth/scopes.ts';
import { CLOUD_IDS } from '../sites.ts';
import type { EmulatorState } from '../state.ts';
import { CURRENT_USER, USERS } from '../users.ts';
import { controlBody } from './body.ts';

/** Shortcuts for tests: a code without the browser, and edits made "by someone else". */
export function contentControlRoutes(state: EmulatorState) {
  const app = new Hono<EmulatorEnv>();

  /** `POST /_emulator/codes {redirect_uri, client_id?, scope?}` → `{code}`: as if the user clicked Allow. */
  app.post('/codes', (c) => {
    const body = controlBody(c);
    if (typeof body.redirect_uri !== 'string') throw new Error('"redirect_uri" is required');
    const scope = typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean) : DEFAULT_SCOPES;
    const code = state.grants.issueCode({
      clientId: typeof body.client_id === 'string' ? body.client_id : DEFAULT_CLIENT.client_id,
      redirectUri: body.redirect_uri,
      scopes: scope,
      cloudIds: state.sites.map((s) => s.id),
      accountId: CURRENT_USER.accountId,
    });
    return c.json({ code }, 201);
  });

  /**
   * `POST /_emulator/pages/{id}/edit {title?, body?, message?, cloud_id?}`: Bob edits the page,
   * bumping its version, so a test can provoke a version conflict.
   */
  app.post('/pages/:id/edit', (c) => {
    const body = controlBody(c);
    const cloudId = typeof body.cloud_id === 'string' ? body.cloud_id : CLOUD_IDS.acme;
    const site = state.site(cloudId);
    const page = site && state.content(site).pages.get(c.req.param('id'));
    if (!page) return c.json({ error: 'no such page' }, 404);
    if (typeof body.title === 'string') page.title = body.title;
    if (typeof body.body === 'string') page.body = body.body;
    page.versions.push({
      number: currentVersion(page).number + 1,
      message: typeof body.message === 'string' ? body.message : 'Edited by Bob',
      minorEdit: false,
      authorId: USERS.bob.accountId,
      createdAt: state.clock.nowIso(),
      body: page.body,
    });
    state.content(site).touch();
    return c.json({ id: page.id, version: currentVersion(page).number });
  });

  return app;
}
