import * as z from 'zod';
import { TOOLSETS, type Toolset } from '../tools/toolsets.ts';

/**
 * What an operator allows the callers of one integration to do, and what an agent token may
 * narrow further. Stored with the integration record (and, narrower, with an agent token record);
 * decided once per tool call in callTool, before anything reaches Confluence.
 *
 * - `read_only`: every tool whose annotations say it writes (`readOnlyHint: false`) is refused.
 * - `allowed_tools`: only these tools (null: every tool).
 * - `denied_tools`: never these tools.
 * - `allowed_spaces`: only content of these spaces, by key (null: every space the user may see).
 * - `toolsets`: only the tools of these sets (null: every set). Records written before toolsets
 *   existed read as null.
 */
export const Policy = z.object({
  read_only: z.boolean(),
  allowed_tools: z.array(z.string()).nullable(),
  denied_tools: z.array(z.string()),
  allowed_spaces: z.array(z.string()).nullable(),
  toolsets: z.array(z.enum(TOOLSETS)).nullable().default(null),
});
export type Policy = z.infer<typeof Policy>;

/** The policy of an integration nobody has restricted: everything the Atlassian grant allows. */
export const OPEN_POLICY: Policy = {
  read_only: false,
  allowed_tools: null,
  denied_tools: [],
  allowed_spaces: null,
  toolsets: null,
};

/** Which policy a refusal comes from: the integration's, or the narrower one of the agent token. */
export type PolicySource = 'integration' | 'agent_token';
export type PolicyRule = keyof Policy;

export interface Refusal {
  rule: PolicyRule;
  source: PolicySource;
  message: string;
}

/**
 * What a policy reads of a tool: its name, its toolset, and whether its annotations say it writes. (Not the whole
 * Tool: the policy sits below the tools, which run against Confluence, in the import graph.)
 */
export interface PolicedTool {
  name: string;
  toolset: Toolset;
  annotations: { readOnlyHint: boolean };
}

/** Whether a tool changes Confluence. Derived from its annotations, so a new tool is classed by its own definition. */
export function writes(tool: PolicedTool): boolean {
  return tool.annotations.readOnlyHint === false;
}

/** The first rule of `policy` that refuses `tool`, or null. */
export function refusalBy(policy: Policy, source: PolicySource, tool: PolicedTool): Refusal | null {
  const whose = source === 'integration' ? "The integration's policy" : "This agent token's policy";
  if (policy.read_only && writes(tool)) {
    return {
      rule: 'read_only',
      source,
      message: `${whose} is read-only: ${tool.name} changes Confluence, so it is refused. Read tools still work.`,
    };
  }
  if (policy.allowed_tools !== null && !policy.allowed_tools.includes(tool.name)) {
    return {
      rule: 'allowed_tools',
      source,
      message: `${whose} allows only ${listed(policy.allowed_tools)}; ${tool.name} is not among them.`,
    };
  }
  if (policy.denied_tools.includes(tool.name)) {
    return { rule: 'denied_tools', source, message: `${whose} denies ${tool.name}.` };
  }
  if (policy.toolsets !== null && !policy.toolsets.includes(tool.toolset)) {
    return {
      rule: 'toolsets',
      source,
      message: `${whose} allows only the toolsets ${policy.toolsets.join(', ') || '(none)'}; ${tool.name} belongs to ${tool.toolset}.`,
    };
  }
  if (policy.allowed_spaces?.length === 0) {
    return {
      rule: 'allowed_spaces',
      source,
      message: `${whose} allows no space at all, so no tool can be called.`,
    };
  }
  return null;
}

/** The refusal of a call under an integration policy and, for an agent, its token's policy. */
export function refusal(integration: Policy, token: Policy | null, tool: PolicedTool): Refusal | null {
  return refusalBy(integration, 'integration', tool) ?? (token && refusalBy(token, 'agent_token', tool));
}

/**
 * What a caller may do under both policies: each rule as strict as the stricter of the two, lists
 * intersected (null: no limit). A token's policy can only remove from the integration's, never add.
 */
export function effectivePolicy(integration: Policy, token: Policy | null): Policy {
  if (!token) return integration;
  // Both records are cached per isolate (the integration's and the token's), so on a warm call
  // the same pair comes back: it is merged once, not on every call.
  let byToken = merged.get(integration);
  if (!byToken) {
    byToken = new WeakMap();
    merged.set(integration, byToken);
  }
  let policy = byToken.get(token);
  if (!policy) {
    policy = merge(integration, token);
    byToken.set(token, policy);
  }
  return policy;
}

const merged = new WeakMap<Policy, WeakMap<Policy, Policy>>();

function merge(integration: Policy, token: Policy): Policy {
  return {
    read_only: integration.read_only || token.read_only,
    allowed_tools: intersect(integration.allowed_tools, token.allowed_tools),
    denied_tools: [...new Set([...integration.denied_tools, ...token.denied_tools])],
    allowed_spaces: intersect(integration.allowed_spaces, token.allowed_spaces),
    toolsets: intersect(integration.toolsets, token.toolsets),
  };
}

function intersect<T extends string>(a: T[] | null, b: T[] | null): T[] | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.filter((item) => b.includes(item));
}

function listed(names: readonly string[]): string {
  return names.length === 0 ? 'no tool' : names.join(', ');
}
