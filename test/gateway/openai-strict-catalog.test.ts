/**
 * `GET /api/v1/tools?format=openai_strict`: each tool as an OpenAI strict function definition
 * (test/catalog/openai-strict.test.ts holds them to strict mode's rules; one that strict mode
 * cannot type comes with strict: false), narrowed by ?toolsets= as the plain catalog is; an unknown
 * format is refused naming the two there are.
 */
import { describe, expect, it } from 'vitest';
import { TOOL_INSTRUCTIONS } from '../../src/tools/instructions.ts';
import { strictFunction } from '../../src/tools/openai-strict.ts';
import { toolCatalog } from '../../src/tools/registry.ts';
import { gateway, SERVICE_TOKEN } from './support/http.ts';

function catalog(query: string): Promise<Response> {
  return gateway(`/api/v1/tools${query}`, { headers: { authorization: `Bearer ${SERVICE_TOKEN}` } });
}

describe('GET /api/v1/tools?format=openai_strict', () => {
  it('serves every tool as a strict function definition, with the instructions beside them', async () => {
    const answer = await catalog('?format=openai_strict');
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      tools: { name: string; strict: boolean }[];
      instructions: string;
    };
    expect(body.tools).toEqual(JSON.parse(JSON.stringify(toolCatalog().tools.map(strictFunction))));
    // Strict mode cannot type an argument of any JSON value: that one tool is served not strict.
    expect(body.tools.filter((tool) => !tool.strict).map((tool) => tool.name)).toEqual([
      'set_confluence_page_property',
    ]);
    expect(body.instructions).toBe(TOOL_INSTRUCTIONS);
  });

  it('narrows by toolsets as the plain catalog does', async () => {
    const body = (await (await catalog('?format=openai_strict&toolsets=chatgpt')).json()) as {
      tools: { name: string }[];
    };
    expect(body.tools.map((tool) => tool.name)).toEqual(['search', 'fetch']);
  });

  it('refuses an unknown format, naming json_schema and openai_strict', async () => {
    const answer = await catalog('?format=openai');
    expect(answer.status).toBe(400);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('format=json_schema');
    expect(error.message).toContain('format=openai_strict');
  });
});
