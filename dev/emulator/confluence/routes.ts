import { Hono, type MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { EmulatorState } from '../state.ts';
import { requireAccess } from './access.ts';
import { meterPoints } from './metering.ts';
import { type ConfluenceOperation, honoPath, operationName } from './operations.ts';

export type OperationMiddleware = (operation: ConfluenceOperation) => MiddlewareHandler<EmulatorEnv>;

/** Mounts every operation: count it, check it against the spec (when asked), authorise, meter its points, handle. */
export function confluenceRoutes(
  state: EmulatorState,
  operations: ConfluenceOperation[],
  check?: OperationMiddleware,
) {
  const app = new Hono<EmulatorEnv>();
  for (const operation of operations) {
    const name = operationName(operation);
    const count: MiddlewareHandler<EmulatorEnv> = async (_c, next) => {
      state.stats.confluence_requests++;
      state.stats.confluence_operations[name] = (state.stats.confluence_operations[name] ?? 0) + 1;
      await next();
    };
    const handlers: MiddlewareHandler<EmulatorEnv>[] = [count];
    if (check) handlers.push(check(operation));
    handlers.push(requireAccess(state, operation.scopes), meterPoints(state, name));
    // Hono runs every handler registered for a route in order, so the chain is registered piecewise.
    const path = honoPath(operation);
    for (const handler of handlers) app.on(operation.method, path, handler);
    app.on(operation.method, path, (c) => operation.handle(c));
  }
  return app;
}
