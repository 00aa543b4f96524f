/**
 * Content beyond pages through the MCP door with both official clients (each validates every
 * result against the tool's outputSchema): blog posts read, written and commented on (footer and
 * inline), and the typed nodes of a page tree, answering as REST does.
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
  sandbox = await startConnectedSandbox('mcp-content', 'MCP content');
  ({ servers, agentToken } = sandbox);
}, 120_000);

afterAll(() => sandbox?.servers.close());

// biome-ignore lint/suspicious/noExplicitAny: REST answers are read field by field
const restCall = (tool: string, args: Record<string, unknown>): Promise<any> => sandbox.restCall(tool, args);

const T = SEED.tree;
const POST = SEED.pages.blogPost.id;

const READS: [string, Record<string, unknown>][] = [
  ['get_confluence_space_blogposts', { space_key: 'OPS' }],
  ['get_confluence_blogpost', { blogpost_id: POST, body_format: 'markdown' }],
  ['get_confluence_page_children', { page_id: T.folder.id, node_type: 'folder' }],
  ['get_confluence_page_ancestors', { page_id: T.embed.id, node_type: 'embed' }],
  ['get_confluence_page_properties', { page_id: SEED.pages.architecture.id }],
  ['get_confluence_tasks', { status: 'all' }],
];

let titles = 0;
const freshTitle = () => `MCP news ${++titles} ${Date.now()}`;

describe.each([
  ['the v1 SDK client', connectV1],
  ['the v2 client', connectV2],
] as [string, ClientFactory][])('%s', (_label, connect) => {
  let client: McpTestClient;

  beforeAll(async () => {
    client = await connect(`${servers.gatewayUrl}/mcp?toolsets=all`, agentToken);
  });
  afterAll(() => client?.close());

  it('lists the new tools, reads as read-only, writes as non-destructive but the property delete', async () => {
    const { tools } = await client.listTools();
    // biome-ignore lint/suspicious/noExplicitAny: tool definitions are checked field by field
    const byName = new Map<string, any>(tools.map((tool: { name: string }) => [tool.name, tool]));
    for (const name of [
      'delete_confluence_page_property',
      'delete_confluence_whiteboard_or_database',
      'remove_confluence_page_restriction',
    ]) {
      expect(byName.get(name)?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    }
    for (const name of [
      'get_confluence_space_blogposts',
      'get_confluence_blogpost',
      'get_confluence_page_properties',
    ]) {
      expect(byName.get(name)?.annotations).toMatchObject({ readOnlyHint: true });
    }
    for (const name of [
      'create_confluence_blogpost',
      'update_confluence_blogpost',
      'set_confluence_page_property',
    ]) {
      expect(byName.get(name)?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
      expect(byName.get(name)?.outputSchema).toBeDefined();
    }
  });

  it.each(READS)('%s answers as REST does', async (name, args) => {
    const [result, rest] = await Promise.all([client.callTool(name, args), restCall(name, args)]);
    expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
    const { success: _, points: __, ...expected } = rest;
    expect(result.structuredContent).toEqual(expected);
  });

  it('creates, edits in Markdown and comments on a blog post', async () => {
    const created = await client.callTool('create_confluence_blogpost', {
      space_key: 'OPS',
      title: freshTitle(),
      body: '## Changes\n\nThe pager rotation moves to Mondays.',
      body_format: 'markdown',
    });
    expect(created.isError, JSON.stringify(created.structuredContent)).toBeFalsy();
    const { id, version } = created.structuredContent.blogpost;
    const read = await client.callTool('get_confluence_blogpost', {
      blogpost_id: id,
      body_format: 'markdown',
    });
    const markdown: string = read.structuredContent.blogpost.content;
    const updated = await client.callTool('update_confluence_blogpost', {
      blogpost_id: id,
      version_number: version,
      body: markdown.replace('Mondays', 'Tuesdays'),
      body_format: 'markdown',
    });
    expect(updated.isError, JSON.stringify(updated.structuredContent)).toBeFalsy();
    expect(updated.structuredContent).toMatchObject({ unchanged: false, blogpost: { version: version + 1 } });
    const comment = await client.callTool('add_confluence_comment', { blogpost_id: id, comment: 'Noted.' });
    expect(comment.structuredContent.comment.blogpost_id).toBe(id);
    const inline = await client.callTool('add_confluence_inline_comment', {
      blogpost_id: id,
      text_selection: 'Tuesdays',
      comment: 'Why Tuesdays?',
    });
    expect(inline.isError, JSON.stringify(inline.structuredContent)).toBeFalsy();
    expect(inline.structuredContent.comment).toMatchObject({ blogpost_id: id, match_count: 1 });
    const comments = await client.callTool('get_confluence_comments', { blogpost_id: id });
    expect(
      comments.structuredContent.comments.map((c: { kind: string; body: string }) => [c.kind, c.body]),
    ).toEqual([
      ['footer', 'Noted.'],
      ['inline', 'Why Tuesdays?'],
    ]);
  });

  it('sets, reads and deletes a page property holding JSON', async () => {
    const page = SEED.pages.apiGuidelines.id;
    const key = `mcp-${_label.includes('v1') ? 'v1' : 'v2'}`;
    const value = { checklist: ['security', 'docs'], done: false };
    const set = await client.callTool('set_confluence_page_property', { page_id: page, key, value });
    expect(set.isError, JSON.stringify(set.structuredContent)).toBeFalsy();
    expect(set.structuredContent).toMatchObject({ created: true, property: { key, value } });
    const read = await client.callTool('get_confluence_page_properties', { page_id: page, key });
    expect(read.structuredContent.properties).toEqual([set.structuredContent.property]);
    const stale = await client.callTool('delete_confluence_page_property', {
      page_id: page,
      key,
      version_number: 5,
    });
    expect(stale.isError).toBe(true);
    expect(stale.structuredContent.error.code).toBe('version_conflict');
    const deleted = await client.callTool('delete_confluence_page_property', {
      page_id: page,
      key,
      version_number: 1,
    });
    expect(deleted.isError, JSON.stringify(deleted.structuredContent)).toBeFalsy();
  });

  it('marks a task complete and open again', async () => {
    const task = SEED.tasks.rotateKeys.id;
    const done = await client.callTool('update_confluence_task', { task_id: task, status: 'complete' });
    expect(done.isError, JSON.stringify(done.structuredContent)).toBeFalsy();
    expect(done.structuredContent.task).toMatchObject({ id: task, status: 'complete' });
    const open = await client.callTool('update_confluence_task', { task_id: task, status: 'incomplete' });
    expect(open.structuredContent.task).toMatchObject({ status: 'incomplete', completed_at: null });
  });

  it('resolves an inline thread and reopens it', async () => {
    const comment = SEED.comments.inline.id;
    const resolved = await client.callTool('resolve_confluence_inline_comment', { comment_id: comment });
    expect(resolved.isError, JSON.stringify(resolved.structuredContent)).toBeFalsy();
    expect(resolved.structuredContent.comment.resolution_status).toBe('resolved');
    const reopened = await client.callTool('resolve_confluence_inline_comment', {
      comment_id: comment,
      resolved: false,
    });
    expect(reopened.structuredContent.comment.resolution_status).toBe('reopened');
    const reply = await client.callTool('resolve_confluence_inline_comment', {
      comment_id: SEED.comments.inlineReply.id,
    });
    expect(reply.isError).toBe(true);
    expect(reply.structuredContent.error.code).toBe('invalid_arguments');
  });

  it('copies a page and restores its first version after an edit', async () => {
    const copy = await client.callTool('copy_confluence_page', {
      page_id: SEED.pages.apiGuidelines.id,
      space_key: 'OPS',
      title: freshTitle(),
    });
    expect(copy.isError, JSON.stringify(copy.structuredContent)).toBeFalsy();
    const page = copy.structuredContent.page.id;
    const edited = await client.callTool('update_confluence_page', {
      page_id: page,
      version_number: 1,
      body: 'Replaced.',
    });
    expect(edited.structuredContent.page.version).toBe(2);
    const restored = await client.callTool('restore_confluence_page_version', {
      page_id: page,
      version_number: 2,
      restore_version: 1,
    });
    expect(restored.isError, JSON.stringify(restored.structuredContent)).toBeFalsy();
    expect(restored.structuredContent).toMatchObject({ restored_from: 1, page: { version: 3 } });
  });

  it('creates a folder, a live doc in it, and a whiteboard, reads them and trashes the whiteboard', async () => {
    const folder = await client.callTool('create_confluence_folder', {
      space_key: 'OPS',
      title: freshTitle(),
    });
    expect(folder.isError, JSON.stringify(folder.structuredContent)).toBeFalsy();
    const folderId = folder.structuredContent.folder.id;
    const read = await client.callTool('get_confluence_folder', { folder_id: folderId });
    expect(read.structuredContent.folder).toEqual(folder.structuredContent.folder);
    const live = await client.callTool('create_confluence_page', {
      space_key: 'OPS',
      title: freshTitle(),
      body: 'Live.',
      parent_id: folderId,
      subtype: 'live',
    });
    const page = await client.callTool('get_confluence_page', { page_id: live.structuredContent.page.id });
    expect(page.structuredContent.page).toMatchObject({ subtype: 'live', parent_id: folderId });
    const board = await client.callTool('create_confluence_whiteboard_or_database', {
      type: 'whiteboard',
      space_key: 'OPS',
      title: freshTitle(),
      parent_id: folderId,
      parent_type: 'folder',
    });
    expect(board.isError, JSON.stringify(board.structuredContent)).toBeFalsy();
    const meta = await client.callTool('get_confluence_whiteboard_or_database', {
      id: board.structuredContent.node.id,
      type: 'whiteboard',
    });
    expect(meta.structuredContent.node).toMatchObject({ type: 'whiteboard', parent_id: folderId });
    const trashed = await client.callTool('delete_confluence_whiteboard_or_database', {
      id: board.structuredContent.node.id,
      type: 'whiteboard',
    });
    expect(trashed.isError, JSON.stringify(trashed.structuredContent)).toBeFalsy();
  });

  it('lists templates and creates a page from one', async () => {
    const listed = await client.callTool('get_confluence_templates', { space_key: 'ENG' });
    expect(listed.isError, JSON.stringify(listed.structuredContent)).toBeFalsy();
    const [template] = listed.structuredContent.templates;
    const created = await client.callTool('create_confluence_page_from_template', {
      template_id: template.id,
      space_key: 'ENG',
      title: freshTitle(),
    });
    expect(created.isError, JSON.stringify(created.structuredContent)).toBeFalsy();
    expect(created.structuredContent.template_id).toBe(template.id);
  });

  it("reads, adds to and removes from a page's restrictions", async () => {
    const page = SEED.pages.glossary.id;
    const read = await client.callTool('get_confluence_page_restrictions', { page_id: page });
    expect(read.isError, JSON.stringify(read.structuredContent)).toBeFalsy();
    const added = await client.callTool('add_confluence_page_restriction', {
      page_id: page,
      operation: 'update',
      account_id: SEED.users.current.accountId,
    });
    expect(added.structuredContent.update.users).toEqual([
      { account_id: SEED.users.current.accountId, display_name: SEED.users.current.displayName },
    ]);
    const removed = await client.callTool('remove_confluence_page_restriction', {
      page_id: page,
      operation: 'update',
      account_id: SEED.users.current.accountId,
    });
    expect(removed.structuredContent.update).toEqual({ users: [], groups: [] });
  });

  it('lists a node of a type it does not know with its type and a message, in a result the client admits', async () => {
    const engHome = SEED.pages.engHome.id;
    const fault = await fetch(`${servers.emulatorUrl}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        match: { method: 'GET', path_contains: `/pages/${engHome}/direct-children` },
        status: 200,
        body: {
          results: [
            { id: '65999', status: 'current', title: 'Team Calendar', type: 'calendar', childPosition: 0 },
          ],
          _links: {},
        },
      }),
    });
    expect(fault.status).toBe(201);
    // The client throws when structuredContent does not match the tool's outputSchema.
    const result = await client.callTool('get_confluence_page_children', { page_id: engHome });
    expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
    expect(result.structuredContent.pages).toEqual([
      expect.objectContaining({
        id: '65999',
        title: 'Team Calendar',
        type: 'calendar',
        message: expect.stringMatching(/type "calendar".*no tool can read or change it/),
      }),
    ]);
  });

  it('answers a stale blog post update with an isError version_conflict', async () => {
    const result = await client.callTool('update_confluence_blogpost', {
      blogpost_id: POST,
      version_number: 9,
      body: 'Stale.',
    });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({ code: 'version_conflict' });
  });
});
