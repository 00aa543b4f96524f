import { Hono } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { EmulatorState } from '../state.ts';

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** `GET /oauth/token/accessible-resources`: the sites the consent granted, Jira ones included. */
export function accessibleResourcesRoutes(state: EmulatorState) {
  const app = new Hono<EmulatorEnv>();

  app.get('/oauth/token/accessible-resources', (c) => {
    state.stats.accessible_resources_requests++;
    const family = state.grants.familyOfAccessToken(bearerToken(c.req.header('authorization')));
    if (!family) return c.json({ code: 401, message: 'Unauthorized' }, 401);
    const grantedScopes = family.scopes.filter((s) => s !== 'offline_access');
    const resources = family.cloudIds.flatMap((id) => {
      const site = state.site(id);
      if (!site) return [];
      const scopes = site.product === 'confluence' ? grantedScopes : (site.scopes ?? []);
      return [{ id: site.id, name: site.name, url: site.url, scopes, avatarUrl: site.avatarUrl }];
    });
    return c.json(resources);
  });

  return app;
}
