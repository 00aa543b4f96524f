import { describe, expect, it } from 'vitest';
import { tools } from '../../src/tools/registry.ts';
import { ANNOTATIONS } from '../../src/tools/tool.ts';

describe('tool annotations', () => {
  it('are one of the presets for every tool, so each kind of tool is described the same way', () => {
    const presets = new Set<object>(Object.values(ANNOTATIONS));
    const inline = tools.filter((tool) => !presets.has(tool.annotations)).map((tool) => tool.name);
    expect(inline).toEqual([]);
  });

  it('mark every delete and every removal destructive, and no write as a read', () => {
    for (const tool of tools) {
      if (/^(delete|remove)_/.test(tool.name)) expect(tool.annotations.destructiveHint, tool.name).toBe(true);
      if (tool.annotations.readOnlyHint)
        expect(tool.name).not.toMatch(/^(delete|remove|update|add|create|set)_/);
    }
  });
});
