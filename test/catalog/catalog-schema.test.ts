/**
 * The tool catalog (`GET /api/v1/tools`, the MCP door's tools/list) as JSON Schema tooling reads it.
 * This runs in Node because Ajv compiles validators with `new Function`, which workerd forbids; the
 * gateway suite checks that the route serves this same catalog.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '../../src/tools/registry.ts';

const { tools } = toolCatalog();
const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

describe('the tool catalog', () => {
  it.each(tools.map((tool) => [tool.name, tool] as const))(
    '%s: its input_schema is a valid draft 2020-12 JSON Schema for an object, with known keywords only',
    (_name, tool) => {
      const ajv = new Ajv2020({ strict: true, allErrors: true });
      const schema = { $schema: DRAFT_2020_12, ...tool.input_schema };
      const valid = ajv.validateSchema(schema);
      expect(ajv.errors ?? [], ajv.errorsText(ajv.errors)).toEqual([]);
      expect(valid).toBe(true);
      // Strict mode refuses unknown keywords and contradictions a lenient validator would skip.
      expect(() => ajv.compile(schema)).not.toThrow();
      expect(tool.input_schema).toMatchObject({ type: 'object', properties: expect.any(Object) });
    },
  );

  it('validates the arguments agents send and refuses what the tools refuse', () => {
    const ajv = new Ajv2020({ strict: true });
    const schemaOf = (name: string) => {
      const tool = tools.find((candidate) => candidate.name === name);
      if (!tool) throw new Error(`no tool ${name} in the catalog`);
      return ajv.compile({ $schema: DRAFT_2020_12, ...tool.input_schema });
    };
    const getPage = schemaOf('get_confluence_page');
    expect(getPage({ page_id: '65538' })).toBe(true);
    expect(getPage({ page_id: '65538', body_format: 'view', max_chars: 200_000 })).toBe(true);
    expect(getPage({})).toBe(false);
    expect(getPage({ page_id: '65538', max_chars: 200_001 })).toBe(false);
    expect(getPage({ page_id: '65538', body_format: 'markdown-ish' })).toBe(false);
    const spaces = schemaOf('get_confluence_spaces');
    expect(spaces({})).toBe(true);
    expect(spaces({ limit: 0 })).toBe(false);
    const comment = schemaOf('add_confluence_comment');
    expect(comment({ page_id: '65538', comment: 'Looks right.' })).toBe(true);
    expect(comment({ page_id: '65538' })).toBe(false);
  });
});
