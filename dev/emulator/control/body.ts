import type { Context } from 'hono';
import type { EmulatorEnv } from '../env.ts';

/** The JSON body of a control call; `{}` when there is none. Throws (→ 400) on anything else. */
export function controlBody(c: Context<EmulatorEnv>): Record<string, unknown> {
  const text = c.get('rawBody');
  if (!text) return {};
  const parsed = JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('expected a JSON object');
  return parsed;
}
