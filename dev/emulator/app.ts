import { Hono } from 'hono';
import { mediaRoutes } from './confluence/attachments.ts';
import { ALL_OPERATIONS } from './confluence/operations.ts';
import { confluenceRoutes } from './confluence/routes.ts';
import { checkConformance } from './conformance-check.ts';
import { controlRoutes } from './control/routes.ts';
import type { EmulatorEnv } from './env.ts';
import { injectFaults } from './fault-injection.ts';
import { accessibleResourcesRoutes } from './oauth/accessible-resources.ts';
import { authorizeRoutes } from './oauth/authorize.ts';
import { tokenRoutes } from './oauth/token.ts';
import type { Specs } from './openapi.ts';
import { recordRequests } from './record-requests.ts';
import type { EmulatorState } from './state.ts';

export interface AppOptions {
  log: boolean;
  /** Atlassian's specs, when traffic is to be checked against them. */
  specs?: Specs;
}

/**
 * The emulator as one Hono app: auth.atlassian.com (`/authorize`, `/oauth/token`), api.atlassian.com
 * (`/oauth/token/accessible-resources`, `/ex/confluence/{cloudId}/wiki/…`) and the control plane
 * (`/_emulator/…`) share one origin, so the gateway's two base URLs can both point at it.
 */
export function createEmulatorApp(state: EmulatorState, options: AppOptions) {
  const app = new Hono<EmulatorEnv>();
  app.use('*', recordRequests(state, options.log));
  app.route('/_emulator', controlRoutes(state));

  app.use('*', injectFaults(state));
  app.route('/', authorizeRoutes(state));
  app.route('/', tokenRoutes(state));
  app.route('/', accessibleResourcesRoutes(state));
  app.route('/', mediaRoutes(state));
  app.route(
    '/',
    confluenceRoutes(state, ALL_OPERATIONS, options.specs && checkConformance(state, options.specs)),
  );

  app.notFound((c) => c.json({ code: 404, message: 'Not Found' }, 404));
  app.onError((error, c) => {
    console.error('[emulator] unexpected error', error);
    return c.json({ code: 500, message: `Emulator error: ${error.message}` }, 500);
  });
  return app;
}
