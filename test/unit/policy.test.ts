import { describe, expect, it } from 'vitest';
import { effectivePolicy, OPEN_POLICY, type Policy, refusal, writes } from '../../src/policy/policy.ts';

const reader = {
  name: 'get_confluence_page',
  toolset: 'pages' as const,
  annotations: { readOnlyHint: true },
};
const writer = {
  name: 'update_confluence_page',
  toolset: 'pages' as const,
  annotations: { readOnlyHint: false },
};
const policy = (rules: Partial<Policy>): Policy => ({ ...OPEN_POLICY, ...rules });

describe('refusal', () => {
  it('refuses a tool of a set the policy leaves out, naming the rule', () => {
    expect(refusal(policy({ toolsets: ['search'] }), null, reader)).toMatchObject({ rule: 'toolsets' });
    expect(refusal(policy({ toolsets: ['pages'] }), null, reader)).toBeNull();
  });

  it('lets every tool through an open policy', () => {
    expect(refusal(OPEN_POLICY, null, reader)).toBeNull();
    expect(refusal(OPEN_POLICY, OPEN_POLICY, writer)).toBeNull();
  });

  it('read_only refuses the tools whose annotations say they write, and only those', () => {
    expect(writes(writer)).toBe(true);
    expect(writes(reader)).toBe(false);
    expect(refusal(policy({ read_only: true }), null, reader)).toBeNull();
    expect(refusal(policy({ read_only: true }), null, writer)).toMatchObject({
      rule: 'read_only',
      source: 'integration',
      message: expect.stringMatching(/read-only: update_confluence_page changes Confluence/),
    });
  });

  it('allowed_tools lets only the listed tools through; denied_tools refuses the listed ones', () => {
    const allowed = policy({ allowed_tools: ['get_confluence_page'] });
    expect(refusal(allowed, null, reader)).toBeNull();
    expect(refusal(allowed, null, writer)).toMatchObject({
      rule: 'allowed_tools',
      message: expect.stringMatching(
        /allows only get_confluence_page; update_confluence_page is not among them/,
      ),
    });
    expect(refusal(policy({ allowed_tools: [] }), null, reader)?.message).toMatch(/allows only no tool/);
    expect(refusal(policy({ denied_tools: ['get_confluence_page'] }), null, reader)).toMatchObject({
      rule: 'denied_tools',
    });
  });

  it('an empty allowed_spaces refuses every tool', () => {
    expect(refusal(policy({ allowed_spaces: [] }), null, reader)).toMatchObject({ rule: 'allowed_spaces' });
    expect(refusal(policy({ allowed_spaces: ['ENG'] }), null, reader)).toBeNull();
  });

  it("names the agent token's policy when the token, not the integration, refuses", () => {
    const refused = refusal(OPEN_POLICY, policy({ read_only: true }), writer);
    expect(refused).toMatchObject({ rule: 'read_only', source: 'agent_token' });
    expect(refused?.message).toMatch(/^This agent token's policy/);
    // The integration's refusal comes first when both refuse.
    expect(
      refusal(policy({ denied_tools: [writer.name] }), policy({ read_only: true }), writer),
    ).toMatchObject({
      source: 'integration',
    });
  });
});

describe('effectivePolicy', () => {
  it('is the integration policy when there is no token', () => {
    const integration = policy({ allowed_spaces: ['ENG'] });
    expect(effectivePolicy(integration, null)).toBe(integration);
  });

  it('takes the stricter of each rule: a token narrows, never widens', () => {
    const integration = policy({
      allowed_tools: ['a', 'b'],
      denied_tools: ['x'],
      allowed_spaces: ['ENG', 'OPS'],
      toolsets: ['pages', 'search'],
    });
    const token = policy({
      read_only: true,
      allowed_tools: ['b', 'c'],
      denied_tools: ['y'],
      allowed_spaces: null,
      toolsets: ['search', 'tree'],
    });
    expect(effectivePolicy(integration, token)).toEqual({
      read_only: true,
      allowed_tools: ['b'],
      denied_tools: ['x', 'y'],
      allowed_spaces: ['ENG', 'OPS'],
      toolsets: ['search'],
    });
    expect(
      effectivePolicy(policy({ allowed_spaces: null }), policy({ allowed_spaces: ['OPS'] })).allowed_spaces,
    ).toEqual(['OPS']);
  });

  it('merges a pair of records once: the same two policies give the same answer, another pair its own', () => {
    const integration = policy({ allowed_spaces: ['ENG', 'OPS'] });
    const token = policy({ allowed_spaces: ['OPS'] });
    const merged = effectivePolicy(integration, token);
    expect(effectivePolicy(integration, token)).toBe(merged);
    // A token record read again (or another token) is another object: merged afresh, from its own rules.
    const narrower = effectivePolicy(integration, policy({ allowed_spaces: ['ENG'] }));
    expect(narrower).not.toBe(merged);
    expect(narrower.allowed_spaces).toEqual(['ENG']);
    expect(effectivePolicy(policy({ allowed_spaces: ['ENG'] }), token).allowed_spaces).toEqual([]);
  });
});
