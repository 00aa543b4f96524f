import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOOL_INSTRUCTIONS } from '../../src/tools/instructions.ts';
import { toolCatalog } from '../../src/tools/registry.ts';
import { emulatorControl, gateway, SERVICE_TOKEN, serviceApi } from './support/http.ts';
import {
  agentToken,
  type CatalogEntry,
  callTool,
  confluenceRequests,
  connectAcme,
  expectNoSpecViolations,
} from './support/tools.ts';

const TOOL_NAMES = [
  'get_confluence_spaces',
  'get_confluence_page',
  'get_confluence_space_pages',
  'search_confluence_pages',
  'create_confluence_page',
  'update_confluence_page',
  'update_confluence_page_section',
  'add_confluence_comment',
  'get_confluence_page_children',
  'get_confluence_page_ancestors',
  'get_confluence_comments',
  'get_confluence_page_history',
  'compare_confluence_page_versions',
  'get_confluence_attachments',
  'get_confluence_attachment_content',
  'search_confluence_users',
  'add_confluence_labels',
  'remove_confluence_label',
  'upload_confluence_attachment',
  'add_confluence_inline_comment',
  'move_confluence_page',
  'delete_confluence_page',
  'get_confluence_space_blogposts',
  'get_confluence_blogpost',
  'create_confluence_blogpost',
  'update_confluence_blogpost',
  'get_confluence_page_properties',
  'set_confluence_page_property',
  'delete_confluence_page_property',
  'get_confluence_tasks',
  'update_confluence_task',
  'resolve_confluence_inline_comment',
  'restore_confluence_page_version',
  'copy_confluence_page',
  'get_confluence_folder',
  'create_confluence_folder',
  'get_confluence_whiteboard_or_database',
  'create_confluence_whiteboard_or_database',
  'delete_confluence_whiteboard_or_database',
  'get_confluence_templates',
  'create_confluence_page_from_template',
  'get_confluence_page_restrictions',
  'add_confluence_page_restriction',
  'remove_confluence_page_restriction',
  'search',
  'fetch',
];

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
});
afterEach(expectNoSpecViolations);

function catalog(token?: string) {
  return gateway('/api/v1/tools', { headers: token ? { authorization: `Bearer ${token}` } : {} });
}

describe('GET /api/v1/tools', () => {
  it('lists every tool with a description and a JSON Schema of its arguments', async () => {
    const response = await catalog(SERVICE_TOKEN);
    expect(response.status).toBe(200);
    const served = (await response.json()) as { tools: CatalogEntry[] };
    // The catalog test/catalog validates against the JSON Schema meta-schema, as served.
    expect(served).toEqual({ ...JSON.parse(JSON.stringify(toolCatalog())), instructions: TOOL_INSTRUCTIONS });
    const { tools } = served;
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of tools) {
      expect(tool.description.length).toBeGreaterThan(50);
      expect(tool.description.length).toBeLessThan(300);
      expect(tool.input_schema.type).toBe('object');
      expect(tool.input_schema.$schema).toBeUndefined();
    }
    const spaces = tools.find((t) => t.name === 'get_confluence_spaces');
    expect(spaces?.input_schema.properties.limit).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 250,
      default: 25,
    });
    // Defaulted arguments are optional for the caller.
    expect(spaces?.input_schema.required ?? []).toEqual([]);
  });

  it("describes each tool's arguments from its schema: required fields, patterns, enums", async () => {
    const { tools } = (await (await catalog(SERVICE_TOKEN)).json()) as { tools: CatalogEntry[] };
    const schema = (name: string) => tools.find((t) => t.name === name)?.input_schema;
    expect(schema('update_confluence_page')?.required).toEqual(['page_id', 'version_number']);
    expect(schema('get_confluence_page')?.properties.max_chars).toMatchObject({
      maximum: 200_000,
      default: 20_000,
    });
    expect(schema('get_confluence_space_pages')?.properties).toMatchObject({
      space_id: { type: 'string', pattern: '^\\d+$' },
      space_key: { type: 'string' },
      cursor: { type: 'string' },
    });
    expect(schema('search_confluence_pages')?.properties.include_archived).toMatchObject({
      type: 'boolean',
      default: false,
    });
    expect(schema('create_confluence_page')?.properties.status.enum).toEqual(['current', 'draft']);
  });

  it('describes when to use each tool without restating its result, and says shared sentences once, in instructions', async () => {
    const { tools, instructions } = (await (await catalog(SERVICE_TOKEN)).json()) as {
      tools: CatalogEntry[];
      instructions: string;
    };
    const seen = new Map<string, string>();
    for (const tool of tools) {
      // The output schema gives the result's fields; the description does not list them again.
      expect(tool.description, tool.name).not.toMatch(/\bReturns\b|\{[a-z_]+,/);
      for (const sentence of tool.description.split(/(?<=\.)\s+/)) {
        expect(seen.get(sentence), `"${sentence}" in ${tool.name}`).toBeUndefined();
        seen.set(sentence, tool.name);
      }
    }
    // What every tool shares: paging, slices, versions, the Markdown forms, every error code's next step.
    for (const said of [
      'next_cursor',
      'next_offset',
      'version_conflict',
      'content_loss',
      'not_found',
      'rate_limited',
      'needs_reauth',
    ]) {
      expect(instructions).toContain(said);
    }
  });

  it('is open to an agent token too, and to nobody else', async () => {
    expect((await catalog(await agentToken(id))).status).toBe(200);
    expect((await catalog()).status).toBe(401);
    expect((await catalog('not-a-token-at-all')).status).toBe(401);
  });
});

describe('POST /api/v1/integrations/:id/tools/:tool_name', () => {
  it('answers 200 {success: true, …} to the service token', async () => {
    const { status, body } = await callTool(id, 'get_confluence_spaces', { limit: 1 });
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.spaces).toHaveLength(1);
  });

  it("accepts the integration's own agent token", async () => {
    const { status, body } = await callTool(id, 'get_confluence_spaces', {}, await agentToken(id));
    expect(status).toBe(200);
    expect(body.success).toBe(true);
  });

  it("refuses another integration's agent token with 403 and calls nothing", async () => {
    const other = await connectAcme('owner-other');
    const { status, body } = await callTool(id, 'get_confluence_spaces', {}, await agentToken(other));
    expect(status).toBe(403);
    expect(body).toMatchObject({ success: false, error: { code: 'forbidden', retryable: false } });
    expect(await confluenceRequests()).toEqual([]);
  });

  it('refuses a call without a token, or with an unknown one, with 401', async () => {
    expect((await callTool(id, 'get_confluence_spaces', {}, null)).status).toBe(401);
    const wrong = await callTool(id, 'get_confluence_spaces', {}, 'cgw_agent_made-up-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('checks the token before the tool name', async () => {
    expect((await callTool(id, 'no_such_tool', {}, null)).status).toBe(401);
  });

  it('answers an unknown tool with 404 unknown_tool naming the tools there are', async () => {
    const { status, body } = await callTool(id, 'delete_confluence_space', {});
    expect(status).toBe(404);
    expect(body.error.code).toBe('unknown_tool');
    for (const name of TOOL_NAMES) expect(body.error.message).toContain(name);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('refuses bad arguments with 400 invalid_arguments naming the field, the value and what is expected, before any upstream call', async () => {
    const { status, body } = await callTool(id, 'get_confluence_spaces', { limit: 500 });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
    expect(body.error.message).toMatch(/limit/);
    expect(body.error.message).toMatch(/500/);
    expect(body.error.message).toMatch(/250/);
    const kind = await callTool(id, 'get_confluence_spaces', { space_type: 'team' });
    expect(kind.status).toBe(400);
    expect(kind.body.error.message).toMatch(/space_type.*"team"/);
    expect(kind.body.error.message).toMatch(/global/);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('refuses a body that is not a JSON object with 400 invalid_arguments', async () => {
    for (const raw of ['{"limit": ', '[1, 2]', '"spaces"']) {
      const { status, body } = await callTool(id, 'get_confluence_spaces', raw);
      expect(status).toBe(400);
      expect(body.error.code).toBe('invalid_arguments');
    }
    expect(await confluenceRequests()).toEqual([]);
  });

  it('validates arguments before looking the integration up', async () => {
    const { status, body } = await callTool('int_doesnotexist', 'get_confluence_spaces', { limit: 0 });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_arguments');
  });

  it('ignores arguments it does not know, such as the integration_id Potpie agents send', async () => {
    const { status, body } = await callTool(id, 'get_confluence_spaces', {
      integration_id: 'potpie-uuid',
      limit: 1,
    });
    expect(status).toBe(200);
    expect(body.spaces).toHaveLength(1);
  });

  it('answers 404 integration_not_found for an integration that does not exist', async () => {
    const { status, body } = await callTool('int_doesnotexist', 'get_confluence_spaces', {});
    expect(status).toBe(404);
    expect(body.error.code).toBe('integration_not_found');
  });

  it('stops serving an integration as soon as it is deleted', async () => {
    expect((await callTool(id, 'get_confluence_spaces', {})).status).toBe(200);
    expect((await serviceApi('DELETE', `/api/v1/integrations/${id}`)).status).toBe(204);
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(404);
    expect(body.error.code).toBe('integration_not_found');
  });

  it('answers 409 needs_reauth with a reconnect hint once Atlassian has revoked the grant', async () => {
    await emulatorControl('POST', '/tokens/revoke', {});
    const first = await callTool(id, 'get_confluence_spaces', {});
    expect(first.status).toBe(409);
    expect(first.body.error).toMatchObject({ code: 'needs_reauth', retryable: false });
    expect(first.body.error.reconnect).toMatch(/connect-sessions/);
    // From now on the record says so, and no call reaches Confluence at all.
    await emulatorControl('DELETE', '/requests');
    const again = await callTool(id, 'get_confluence_spaces', {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('needs_reauth');
    expect(again.body.error.message).toMatch(/reconnect/);
    expect(await confluenceRequests()).toEqual([]);
  });
});
