/**
 * The tools added after the first seven, through the MCP door with both official clients: the
 * same answers as REST, errors as isError results, and an attached image as an image block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from '../../dev/emulator/seed.ts';
import { type ConnectedSandbox, startConnectedSandbox } from '../support/connected-sandbox.ts';
import { type ClientFactory, connectV1, connectV2, type McpTestClient } from '../support/mcp-clients.ts';
import type { SandboxServers } from '../support/sandbox-servers.ts';

let sandbox: ConnectedSandbox;
let servers: SandboxServers;
let agentToken: string;

beforeAll(async () => {
  sandbox = await startConnectedSandbox('mcp-tools', 'MCP tools');
  ({ servers, agentToken } = sandbox);
}, 120_000);

afterAll(() => sandbox?.servers.close());

// biome-ignore lint/suspicious/noExplicitAny: REST answers are read field by field
const restCall = (tool: string, args: Record<string, unknown>): Promise<any> => sandbox.restCall(tool, args);

const READS: [string, Record<string, unknown>][] = [
  ['get_confluence_page_children', { page_id: SEED.pages.engHome.id, depth: 2 }],
  ['get_confluence_page_ancestors', { page_id: SEED.tree.meetingNotes.id }],
  ['get_confluence_comments', { page_id: SEED.pages.architecture.id }],
  ['get_confluence_page_history', { page_id: SEED.pages.architecture.id }],
  ['compare_confluence_page_versions', { page_id: SEED.pages.architecture.id, from_version: 2 }],
  ['get_confluence_attachments', { page_id: SEED.pages.architecture.id }],
  ['get_confluence_attachment_content', { attachment_id: SEED.attachments.csv.id }],
  ['search_confluence_users', { query: 'al' }],
];

describe.each([
  ['the v1 SDK client', connectV1],
  ['the v2 client', connectV2],
] as [string, ClientFactory][])('%s', (_label, connect) => {
  let client: McpTestClient;

  beforeAll(async () => {
    client = await connect(`${servers.gatewayUrl}/mcp?toolsets=all`, agentToken);
  });
  afterAll(() => client?.close());

  it('lists all forty-six tools with toolsets=all, the deletes and removals as the destructive ones', async () => {
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(46);
    const destructive = tools.filter(
      (tool: { annotations: { destructiveHint?: boolean } }) => tool.annotations.destructiveHint,
    );
    expect(destructive.map((tool: { name: string }) => tool.name)).toEqual([
      'remove_confluence_label',
      'delete_confluence_page',
      'delete_confluence_page_property',
      'delete_confluence_whiteboard_or_database',
      'remove_confluence_page_restriction',
    ]);
  });

  it.each(READS)('%s answers as REST does', async (name, args) => {
    const [result, rest] = await Promise.all([client.callTool(name, args), restCall(name, args)]);
    expect(result.isError).toBeFalsy();
    // The Atlassian points a call cost are in REST's `points` and in the MCP result's `_meta`.
    const { success: _, points: __, ...expected } = rest;
    expect(result.structuredContent).toEqual(expected);
  });

  it("says what each call cost in the result's _meta, and nothing for a read the cache answered", async () => {
    // A page size of its own per client, so the other client's run has not cached it.
    const limit = client.era === '2025' ? 7 : 8;
    const args = { space_id: SEED.spaces.bulk.id, limit };
    const first = await client.callTool('get_confluence_space_pages', args);
    expect(first.isError).toBeFalsy();
    expect(first._meta).toMatchObject({ points: limit + 1 });
    expect(first.structuredContent.points).toBeUndefined();
    const again = await client.callTool('get_confluence_space_pages', args);
    expect(again._meta).toMatchObject({ points: 0 });
    expect(again.structuredContent).toEqual(first.structuredContent);
  });

  it('returns an attached image as an image block, not as base64 in the text', async () => {
    const result = await client.callTool('get_confluence_attachment_content', {
      attachment_id: SEED.attachments.image.id,
    });
    const image = result.content.find((block: { type: string }) => block.type === 'image');
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
    expect(image.data).toBe(result.structuredContent.image.data_base64);
    const text = result.content.find((block: { type: string }) => block.type === 'text');
    expect(text.text).not.toContain(image.data);
  });

  it('answers the write tools with results their output schemas admit', async () => {
    const page = SEED.pages.apiGuidelines.id;
    const calls: [string, Record<string, unknown>][] = [
      ['add_confluence_labels', { page_id: page, labels: ['mcp'] }],
      ['remove_confluence_label', { page_id: page, label: 'mcp' }],
      ['upload_confluence_attachment', { page_id: page, filename: 'mcp.txt', content: 'hello' }],
      ['add_confluence_inline_comment', { page_id: page, text_selection: 'Guidelines', comment: 'Hi' }],
    ];
    for (const [name, args] of calls) {
      const result = await client.callTool(name, args);
      expect(result.isError, `${name}: ${JSON.stringify(result.structuredContent)}`).toBeFalsy();
    }
    const read = await restCall('get_confluence_page', { page_id: page });
    const parent =
      read.page.parent_id === SEED.pages.runbooks.id ? SEED.pages.engHome.id : SEED.pages.runbooks.id;
    const moved = await client.callTool('move_confluence_page', {
      page_id: page,
      version_number: read.page.version.number,
      parent_id: parent,
    });
    expect(moved.structuredContent.page.parent_id).toBe(parent);
  });

  it('answers a stale delete with an isError version_conflict, and trashes nothing', async () => {
    const result = await client.callTool('delete_confluence_page', {
      page_id: SEED.pages.glossary.id,
      version_number: 7,
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({
      code: 'version_conflict',
      current_version: { number: 1 },
    });
    const page = await restCall('get_confluence_page', { page_id: SEED.pages.glossary.id });
    expect(page.success).toBe(true);
  });
});
