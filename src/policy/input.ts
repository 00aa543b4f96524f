import * as z from 'zod';
import { findTool, tools } from '../tools/registry.ts';
import { TOOLSETS } from '../tools/toolsets.ts';
import { type Policy, refusalBy } from './policy.ts';

/**
 * A policy as the service API accepts it (PATCH an integration, issue an agent token): every field
 * optional, unknown fields, unknown tool names and malformed space keys refused with what is valid.
 */

const FIELDS = 'read_only, allowed_tools, denied_tools, allowed_spaces, toolsets';

/**
 * Confluence space keys: letters and digits for a team space, "~" and an account id for a personal
 * one. Nothing else is accepted, so a key can be quoted into CQL without any escaping.
 */
const SPACE_KEY = /^(?:[A-Za-z0-9]{1,255}|~[A-Za-z0-9:_-]{1,128})$/;

const toolName = z.string().superRefine((name, ctx) => {
  if (!findTool(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `no tool of that name; the tools are ${tools.map((tool) => tool.name).join(', ')}`,
    });
  }
});

const toolNames = z
  .array(toolName)
  .max(500)
  .transform((names) => [...new Set(names)]);

/** Confluence resolves this many space keys in one request, which is how the fence resolves them. */
const MAX_ALLOWED_SPACES = 250;

const spaceKeys = z
  .array(
    z
      .string()
      .regex(
        SPACE_KEY,
        'expected a space key: letters and digits (e.g. "ENG"), or "~" and an account id for a personal space',
      ),
  )
  .max(MAX_ALLOWED_SPACES, `at most ${MAX_ALLOWED_SPACES} space keys`)
  .transform((keys) => [...new Set(keys)]);

const toolsetNames = z
  .array(
    z.enum(TOOLSETS, {
      error: () => `expected a toolset: ${TOOLSETS.join(', ')} (null instead of a list: every toolset)`,
    }),
  )
  .max(TOOLSETS.length * 2)
  .transform((names) => [...new Set(names)]);

export const PolicyInput = z.strictObject(
  {
    read_only: z.boolean().optional(),
    allowed_tools: toolNames.nullable().optional(),
    denied_tools: toolNames.optional(),
    allowed_spaces: spaceKeys.nullable().optional(),
    toolsets: toolsetNames.nullable().optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown field; the fields are ${FIELDS}` : undefined,
  },
);
export type PolicyInput = z.output<typeof PolicyInput>;

/** `base` with the fields `input` gives replaced; omitted fields keep their value. */
export function applyPolicy(base: Policy, input: PolicyInput): Policy {
  return {
    read_only: input.read_only ?? base.read_only,
    allowed_tools: input.allowed_tools === undefined ? base.allowed_tools : input.allowed_tools,
    denied_tools: input.denied_tools ?? base.denied_tools,
    allowed_spaces: input.allowed_spaces === undefined ? base.allowed_spaces : input.allowed_spaces,
    toolsets: input.toolsets === undefined ? base.toolsets : input.toolsets,
  };
}

/**
 * What in an agent token's policy would reach beyond its integration's: tools the integration's
 * policy refuses, spaces or toolsets outside its lists. Each is said in a sentence; empty when the token only narrows.
 * (Enforcement intersects both policies anyway; refusing here tells the operator at once.)
 */
export function wideningsOf(integration: Policy, token: Policy): string[] {
  const problems: string[] = [];
  for (const name of token.allowed_tools ?? []) {
    const tool = findTool(name);
    const refused = tool && refusalBy(integration, 'integration', tool);
    if (refused)
      problems.push(`allowed_tools names ${name}, which the integration's policy refuses (${refused.rule})`);
  }
  const spaces = integration.allowed_spaces;
  for (const key of token.allowed_spaces ?? []) {
    if (spaces !== null && !spaces.includes(key)) {
      problems.push(
        `allowed_spaces names ${key}, which is not among the integration's allowed_spaces (${spaces.join(', ') || 'none'})`,
      );
    }
  }
  const sets = integration.toolsets;
  for (const set of token.toolsets ?? []) {
    if (sets !== null && !sets.includes(set)) {
      problems.push(
        `toolsets names ${set}, which is not among the integration's toolsets (${sets.join(', ') || 'none'})`,
      );
    }
  }
  return problems;
}
