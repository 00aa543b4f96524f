import { buildGateway } from '../support/workerd.ts';

/**
 * Bundles the gateway (dist/, as `npm run build` does) once for the whole "node" project, so the
 * files that serve it in workerd (test/support/sandbox-servers.ts) start from that bundle instead of
 * each bundling again. `npm test` has just built it and says so with GATEWAY_BUNDLE_BUILT=1.
 */
export default function setup() {
  if (process.env.GATEWAY_BUNDLE_BUILT !== '1') buildGateway();
}
