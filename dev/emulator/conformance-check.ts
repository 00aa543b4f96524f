import type { MiddlewareHandler } from 'hono';
import type { ConfluenceOperation } from './confluence/operations.ts';
import { operationName } from './confluence/operations.ts';
import type { EmulatorEnv } from './env.ts';
import type { SpecOperation, Specs } from './openapi.ts';
import type { EmulatorState } from './state.ts';

/** Enough to debug a run; a runaway loop should not eat memory. */
const MAX_VIOLATIONS = 1000;

/**
 * Checks each Confluence request the emulator receives and each response it sends against
 * Atlassian's spec, recording mismatches at `GET /_emulator/violations`. Gateway tests assert
 * that list is empty, so what it reports must be a real deviation from the spec.
 */
export function checkConformance(state: EmulatorState, specs: Specs) {
  return (operation: ConfluenceOperation): MiddlewareHandler<EmulatorEnv> => {
    const found = specs.find(operation.api, operation.method, operation.template);
    const name = operationName(operation);
    return async (c, next) => {
      const record = (direction: 'request' | 'response', messages: string[], status?: number) => {
        for (const message of messages) {
          if (state.violations.length >= MAX_VIOLATIONS) return;
          const url = new URL(c.req.url);
          state.violations.push({
            at: state.clock.nowIso(),
            operation: name,
            request: `${c.req.method} ${url.pathname}${url.search}`,
            direction,
            ...(status !== undefined && { status }),
            message,
          });
        }
      };
      if (!found) {
        record('request', [`${name} is not an operation of Atlassian's ${operation.api} spec`]);
        return next();
      }
      const spec: SpecOperation = found.operation;
      const path = c.req.path.slice(c.req.path.indexOf(operation.api === 'v2' ? '/wiki/api/v2' : '/wiki/'));
      const relative = operation.api === 'v2' ? path.slice('/wiki/api/v2'.length) : path;
      const pathParams = specs.find(operation.api, operation.method, relative)?.pathParams ?? {};
      const raw = c.get('rawBody');
      const contentType = c.req.header('content-type') ?? '';
      let body: unknown;
      let invalidJson = false;
      let form: string[] | undefined;
      if (raw && contentType.startsWith('multipart/form-data')) {
        try {
          const parts = await new Response(c.get('rawBytes'), {
            headers: { 'content-type': contentType },
          }).formData();
          form = [...new Set(parts.keys())];
        } catch {
          form = [];
        }
      } else if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          invalidJson = true;
        }
      }
      record(
        'request',
        specs.checkRequest(spec, {
          query: new URL(c.req.url).searchParams,
          pathParams,
          body,
          invalidJson,
          form,
        }),
      );

      await next();

      const status = c.res.status;
      const text = await c.res.clone().text();
      const problems = specs.checkResponse(spec, status, c.res.headers.get('content-type'), () => {
        try {
          return JSON.parse(text);
        } catch {
          return text;
        }
      });
      record('response', problems, status);
    };
  };
}
