/**
 * Every result matches its tool's output schema, for every value of every enum argument: both
 * official SDK clients check `structuredContent` against the `outputSchema` they listed and refuse
 * a result that does not match (as the OpenAI Agents SDK, LangChain and the Inspector do, being
 * built on them). tools/list outlines each result, so every result is also held to its tool's whole
 * result schema, closed, where an enum or a nested field that does not match fails. The enums are read from `tools/list`, so a new tool or a new enum value is swept
 * the day it is added; a tool with an enum argument and no base arguments below fails the test.
 */
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CORPUS } from '../../dev/emulator/seed/corpus.ts';
import { SEED } from '../../dev/emulator/seed.ts';
import { tools as registry } from '../../src/tools/registry.ts';
import { type ConnectedSandbox, startConnectedSandbox } from '../support/connected-sandbox.ts';
import { type ClientFactory, connectV1, connectV2, type McpTestClient } from '../support/mcp-clients.ts';
import type { SandboxServers } from '../support/sandbox-servers.ts';

let sandbox: ConnectedSandbox;
let servers: SandboxServers;
let agentToken: string;

beforeAll(async () => {
  sandbox = await startConnectedSandbox('mcp-output-shapes', 'MCP output shapes');
  ({ servers, agentToken } = sandbox);
}, 120_000);

afterAll(() => sandbox?.servers.close());

// biome-ignore lint/suspicious/noExplicitAny: REST answers are read field by field
const rest = (tool: string, args: Record<string, unknown>): Promise<any> => sandbox.restCall(tool, args);

let pages = 0;
/** A title no other page of the run has. */
function freshTitle(): string {
  pages += 1;
  return `Output shapes ${pages} ${Date.now()}`;
}

/** A fresh page of ENG with a heading, so each write starts from a known version. */
async function freshPage(): Promise<{ page_id: string; version_number: number }> {
  const created = await rest('create_confluence_page', {
    space_key: 'ENG',
    title: freshTitle(),
    body: '<h2>Notes</h2><p>First words.</p>',
  });
  if (!created.success) throw new Error(`create: ${JSON.stringify(created)}`);
  return { page_id: created.page.id, version_number: created.page.version };
}

/** A fresh blog post of ENG, so each write starts from version 1. */
async function freshBlogPost(): Promise<{ blogpost_id: string; version_number: number }> {
  const created = await rest('create_confluence_blogpost', {
    space_key: 'ENG',
    title: freshTitle(),
    body: '<h2>News</h2><p>First words.</p>',
  });
  if (!created.success) throw new Error(`create blog post: ${JSON.stringify(created)}`);
  return { blogpost_id: created.blogpost.id, version_number: created.blogpost.version };
}

/** A node of each type the tree tools take, so node_type can be swept with an id of its type. */
const NODES: Record<string, string> = {
  page: SEED.tree.meetingNotes.id,
  folder: SEED.tree.folder.id,
  whiteboard: SEED.tree.whiteboard.id,
  database: SEED.tree.database.id,
  embed: SEED.tree.embed.id,
};
const node = (sweep: Sweep) => ({
  page_id: NODES[sweep.argument === 'node_type' ? String(sweep.value) : 'page'],
});

/**
 * Arguments each tool with an enum argument is called with (given the sweep, for an argument whose
 * value decides which ids fit); the swept argument is set on top.
 */
const BASE: Record<string, (sweep: Sweep) => Promise<Record<string, unknown>>> = {
  get_confluence_space_blogposts: async () => ({ space_key: 'ENG', limit: 5 }),
  get_confluence_blogpost: async () => ({ blogpost_id: SEED.pages.blogPost.id }),
  create_confluence_blogpost: async () => ({ space_key: 'ENG', title: freshTitle(), body: 'Some news.' }),
  update_confluence_blogpost: async () => ({ ...(await freshBlogPost()), body: 'New words.' }),
  get_confluence_tasks: async () => ({}),
  add_confluence_page_restriction: async () => ({
    page_id: SEED.pages.apiGuidelines.id,
    group_name: 'engineering',
  }),
  remove_confluence_page_restriction: async () => ({
    page_id: SEED.pages.apiGuidelines.id,
    group_name: 'engineering',
  }),
  create_confluence_folder: async () => ({ space_key: 'ENG', title: freshTitle() }),
  create_confluence_whiteboard_or_database: async () => ({
    type: 'whiteboard',
    space_key: 'ENG',
    title: freshTitle(),
  }),
  get_confluence_whiteboard_or_database: async (sweep) => ({ id: NODES[String(sweep.value)] }),
  delete_confluence_whiteboard_or_database: async (sweep) => {
    const created = await rest('create_confluence_whiteboard_or_database', {
      type: sweep.value,
      space_key: 'ENG',
      title: freshTitle(),
    });
    return { id: created.node.id };
  },
  update_confluence_task: async () => ({ task_id: SEED.tasks.rotateKeys.id }),
  get_confluence_page_children: async (sweep) => node(sweep),
  get_confluence_page_ancestors: async (sweep) => node(sweep),
  get_confluence_spaces: async () => ({}),
  get_confluence_space_pages: async () => ({ space_key: 'ENG', limit: 5 }),
  get_confluence_page: async () => ({ page_id: SEED.pages.architecture.id }),
  get_confluence_comments: async () => ({ page_id: SEED.pages.architecture.id }),
  compare_confluence_page_versions: async () => ({ page_id: SEED.pages.architecture.id, from_version: 2 }),
  create_confluence_page: async () => ({
    space_key: 'ENG',
    title: freshTitle(),
    body: 'Some text.',
  }),
  update_confluence_page: async () => ({ ...(await freshPage()), body: 'New words.' }),
  update_confluence_page_section: async () => ({
    ...(await freshPage()),
    heading: 'Notes',
    body: 'Later words.',
  }),
  add_confluence_comment: async () => ({ page_id: SEED.pages.apiGuidelines.id, comment: 'A comment.' }),
  add_confluence_inline_comment: async () => ({
    page_id: SEED.pages.apiGuidelines.id,
    text_selection: 'Guidelines',
    comment: 'An inline comment.',
  }),
};

/** Each tool's whole result schema, closed: every nested field, enum and type. */
const closedResultSchemas = new Map(
  registry.map((tool) => [
    tool.name,
    new Ajv({ strict: false, allErrors: true }).compile(
      z.toJSONSchema(tool.output ?? z.never(), { io: 'output', target: 'draft-07' }),
    ),
  ]),
);

interface Sweep {
  tool: string;
  argument: string;
  value: unknown;
}

/** Every (tool, enum argument, value) of a catalog, from the JSON Schemas the client listed. */
// biome-ignore lint/suspicious/noExplicitAny: JSON Schemas are walked by hand
function sweeps(tools: any[]): Sweep[] {
  const found: Sweep[] = [];
  for (const tool of tools) {
    for (const [argument, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
      // biome-ignore lint/suspicious/noExplicitAny: a property's schema, maybe wrapped in anyOf
      const options = [schema as any, ...((schema as any).anyOf ?? [])];
      for (const option of options) {
        for (const value of option.enum ?? []) found.push({ tool: tool.name, argument, value });
      }
    }
  }
  return found;
}

describe.each([
  ['the v1 SDK client', connectV1],
  ['the v2 client', connectV2],
] as [string, ClientFactory][])('%s, validating every result against its outputSchema', (_label, connect) => {
  let client: McpTestClient;

  beforeAll(async () => {
    client = await connect(`${servers.gatewayUrl}/mcp?toolsets=all`, agentToken);
  });
  afterAll(() => client?.close());

  it('answers every value of every enum argument with a result its outputSchema admits', async () => {
    const { tools } = await client.listTools();
    const all = sweeps(tools);
    // The sweep reaches the shapes that broke real clients before: Markdown page reads among them.
    expect(all).toContainEqual({ tool: 'get_confluence_page', argument: 'body_format', value: 'markdown' });
    const missing = [...new Set(all.map((sweep) => sweep.tool))].filter((tool) => !BASE[tool]);
    expect(missing, 'tools with an enum argument and no base arguments in this test').toEqual([]);

    const failures: string[] = [];
    for (const sweep of all) {
      const { tool, argument, value } = sweep;
      const base = BASE[tool] as (sweep: Sweep) => Promise<Record<string, unknown>>;
      const args = { ...(await base(sweep)), [argument]: value };
      const label = `${tool} ${argument}=${JSON.stringify(value)}`;
      try {
        // The client throws when structuredContent does not match the tool's outputSchema.
        const result = await client.callTool(tool, args);
        if (result.isError) failures.push(`${label}: ${JSON.stringify(result.structuredContent)}`);
        const validate = closedResultSchemas.get(tool);
        if (!validate?.(result.structuredContent))
          failures.push(`${label}: ${JSON.stringify(validate?.errors)}`);
      } catch (error) {
        failures.push(`${label}: ${(error as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('admits a Markdown reading that lists what it left opaque, and names that list in its result schema', async () => {
    const { tools } = await client.listTools();
    // biome-ignore lint/suspicious/noExplicitAny: a JSON Schema walked by hand
    const schema = tools.find((tool) => tool.name === 'get_confluence_page')?.outputSchema as any;
    // tools/list outlines the result (its top-level fields); the whole result schema names the list.
    expect(schema?.anyOf?.[0]?.properties?.page).toMatchObject({ type: 'object' });
    const output = registry.find((tool) => tool.name === 'get_confluence_page')?.output ?? z.never();
    // biome-ignore lint/suspicious/noExplicitAny: a JSON Schema walked by hand
    const whole = z.toJSONSchema(output, { io: 'output' }) as any;
    expect(whole.properties.page.properties.omitted).toMatchObject({
      type: 'array',
      items: { type: 'object' },
    });
    const release = CORPUS.findIndex((document) => document.title === 'Release Train 2026.12');
    // The client throws when structuredContent does not match the tool's outputSchema.
    const result = await client.callTool('get_confluence_page', {
      page_id: String(SEED.corpusFirstId + release),
      body_format: 'markdown',
    });
    expect(result.isError).toBeFalsy();
    expect(closedResultSchemas.get('get_confluence_page')?.(result.structuredContent)).toBe(true);
    expect((result.structuredContent as { page: { omitted: unknown[] } }).page.omitted).toContainEqual({
      kind: 'macro jira',
      count: 1,
    });
  });

  it("a page's outline and one section, in Markdown and storage, match get_confluence_page's schemas", async () => {
    const check = closedResultSchemas.get('get_confluence_page');
    for (const body_format of ['markdown', 'storage']) {
      for (const part of [{ outline: true }, { section: 'Services' }]) {
        // The client throws when structuredContent does not match the tool's outputSchema.
        const result = await client.callTool('get_confluence_page', {
          page_id: SEED.pages.architecture.id,
          body_format,
          ...part,
        });
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        expect(check?.(result.structuredContent), JSON.stringify(check?.errors)).toBe(true);
        const { page } = result.structuredContent as { page: { outline?: unknown[]; section?: string } };
        expect('outline' in part ? page.outline?.length : page.section).toBeTruthy();
      }
    }
  });
});
