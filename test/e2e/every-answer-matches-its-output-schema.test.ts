/**
 * Every shape of every tool's answer passes the tool's own output schema, through the clients that
 * check it. Both official SDK clients (and so the OpenAI Agents SDK, LangChain's adapters and the
 * Inspector, built on them) refuse a `structuredContent` that does not match the `outputSchema`
 * they listed; OpenAI strict-mode clients send null for every optional argument they leave out.
 *
 * One table: each tool in each shape it answers with (body formats, slices with next_offset,
 * outlines and sections, drafts and trashed pages, empty lists, a list's next page, `unchanged`
 * writes, images, failures as isError results). Each row is called through the v1 and the v2
 * client (either throws on a result its outputSchema refuses), the result is held to the listed
 * outputSchema and to the tool's whole result schema (closed: every nested field, enum and type),
 * and the row checks it reached its shape. Then each row again as a strict-mode model sends it.
 */
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { SEED } from '../../dev/emulator/seed.ts';
import { tools as registry } from '../../src/tools/registry.ts';
import { type ConnectedSandbox, startConnectedSandbox } from '../support/connected-sandbox.ts';
import { connectV1, connectV2, type McpTestClient } from '../support/mcp-clients.ts';

type Args = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Answer = any;

interface Shape {
  tool: string;
  /** The shape of the answer, as the test's name says it. */
  shape: string;
  /** The arguments, made afresh for every call: a write gets content of its own. */
  args: () => Args | Promise<Args>;
  /** Checks that the answer has the shape this row names (it did not answer another one). */
  reached: (answer: Answer) => void;
  /** The error code, for a failure. */
  error?: string;
}

let sandbox: ConnectedSandbox;
let v1: McpTestClient;
let v2: McpTestClient;
/** The outputSchema each tool listed, compiled. */
const listed = new Map<string, ReturnType<Ajv['compile']>>();
/** Each tool's properties, as tools/list gives them: what a strict-mode model sends, null or not. */
const properties = new Map<string, string[]>();

beforeAll(async () => {
  // Each row is called three times, most after calls that set the scene: more than the default
  // 600 tool calls a minute.
  sandbox = await startConnectedSandbox('every-answer-shape', 'Every answer shape', {
    TOOL_CALLS_PER_MINUTE: '10000',
  });
  const url = `${sandbox.servers.gatewayUrl}/mcp?toolsets=all`;
  [v1, v2] = await Promise.all([connectV1(url, sandbox.agentToken), connectV2(url, sandbox.agentToken)]);
  // Listing the tools is what makes each client check results against their outputSchema.
  const [{ tools }] = await Promise.all([v1.listTools(), v2.listTools()]);
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const tool of tools) {
    listed.set(tool.name, ajv.compile(tool.outputSchema));
    properties.set(tool.name, Object.keys(tool.inputSchema.properties ?? {}));
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([v1?.close(), v2?.close()]);
  await sandbox?.servers.close();
});

/** Each tool's whole result schema, closed: every nested field, enum and type. */
const closedSchemas = new Map(
  registry.map((tool) => [
    tool.name,
    new Ajv({ strict: false, allErrors: true }).compile(
      z.toJSONSchema(tool.output ?? z.never(), { io: 'output', target: 'draft-07' }),
    ),
  ]),
);

/** What a failed call's structuredContent holds (the instructions describe it). */
const errorSchema = new Ajv({ strict: false }).compile({
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'retryable'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        retryable: { type: 'boolean' },
        retry_after_seconds: { type: 'number' },
      },
    },
  },
});

/** A tool's answer over REST (setting the scene for a row); a failure throws. */
async function rest(tool: string, args: Args): Promise<Answer> {
  const answer = await sandbox.restCall(tool, args);
  if (!answer.success) throw new Error(`${tool}: ${JSON.stringify(answer)}`);
  return answer;
}

let titles = 0;
/** A title no other page of the run has. */
function freshTitle(): string {
  titles += 1;
  return `Answer shape ${titles} ${Date.now()}`;
}

const PAGE_BODY = '<h2>Notes</h2><p>First words about the edge gateway.</p><h2>Later</h2><p>More words.</p>';

/** A fresh page of ENG with two sections, so each write starts from a known version. */
async function freshPage(options: Args = {}): Promise<{ page_id: string; version_number: number }> {
  const { page } = await rest('create_confluence_page', {
    space_key: 'ENG',
    title: freshTitle(),
    body: PAGE_BODY,
    ...options,
  });
  return { page_id: page.id, version_number: page.version };
}

/** A fresh blog post of ENG. */
async function freshBlogPost(options: Args = {}): Promise<{ blogpost_id: string; version_number: number }> {
  const { blogpost } = await rest('create_confluence_blogpost', {
    space_key: 'ENG',
    title: freshTitle(),
    body: '<h2>News</h2><p>First words about the edge gateway.</p>',
    ...options,
  });
  return { blogpost_id: blogpost.id, version_number: blogpost.version };
}

/** A fresh inline comment thread on a fresh page. */
async function freshInlineComment(): Promise<string> {
  const { page_id } = await freshPage();
  const { comment } = await rest('add_confluence_inline_comment', {
    page_id,
    text_selection: 'edge gateway',
    comment: 'Which one?',
  });
  return comment.id;
}

/** The next_cursor of a first answer, for the row that reads the next page. */
async function nextCursorOf(tool: string, args: Args): Promise<Args> {
  const first = await rest(tool, args);
  if (!first.next_cursor) throw new Error(`${tool} gave no next_cursor: ${JSON.stringify(first)}`);
  return { ...args, cursor: first.next_cursor };
}

const P = SEED.pages;
const ARCH = P.architecture.id;
const POST = P.blogPost.id;
const T = SEED.tree;
const A = SEED.attachments;
const some = (list: unknown[] | undefined) => expect(list?.length).toBeGreaterThan(0);
const none = (list: unknown[] | undefined) => expect(list).toEqual([]);
const more = (answer: Answer) => {
  expect(answer.has_more).toBe(true);
  expect(answer.next_cursor).toEqual(expect.any(String));
};
const last = (answer: Answer) => {
  expect(answer.has_more).toBe(false);
  expect(answer).not.toHaveProperty('next_cursor');
};
const sliced = (part: Answer) => {
  expect(part.truncated).toBe(true);
  expect(part.next_offset).toBeGreaterThan(part.offset);
};
const failed = (code: string) => (answer: Answer) => expect(answer.error.code).toBe(code);

const SHAPES: Shape[] = [
  // Spaces
  {
    tool: 'get_confluence_spaces',
    shape: 'every space, the last page of the list',
    args: () => ({}),
    reached: (a) => {
      some(a.spaces);
      last(a);
    },
  },
  {
    tool: 'get_confluence_spaces',
    shape: 'a first page with next_cursor',
    args: () => ({ limit: 2 }),
    reached: more,
  },
  {
    tool: 'get_confluence_spaces',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('get_confluence_spaces', { limit: 2 }),
    reached: (a) => some(a.spaces),
  },
  {
    tool: 'get_confluence_spaces',
    shape: 'personal spaces',
    args: () => ({ space_type: 'personal' }),
    reached: (a) => expect(a.spaces.map((s: Answer) => s.type)).toEqual(['personal']),
  },
  {
    tool: 'get_confluence_spaces',
    shape: 'an empty list',
    args: () => ({ space_type: 'onboarding' }),
    reached: (a) => none(a.spaces),
  },
  // Pages of a space
  {
    tool: 'get_confluence_space_pages',
    shape: 'pages by space key, with the folders they sit in',
    args: () => ({ space_key: 'ENG', limit: 250 }),
    reached: (a) => {
      expect(a.space_key).toBe('ENG');
      some(a.containers);
    },
  },
  {
    tool: 'get_confluence_space_pages',
    shape: 'pages by space id, a first page with next_cursor',
    args: () => ({ space_id: SEED.spaces.bulk.id, limit: 3 }),
    reached: (a) => {
      expect(a).not.toHaveProperty('space_key');
      more(a);
    },
  },
  {
    tool: 'get_confluence_space_pages',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('get_confluence_space_pages', { space_id: SEED.spaces.bulk.id, limit: 3 }),
    reached: (a) => some(a.pages),
  },
  {
    tool: 'get_confluence_space_pages',
    shape: 'trashed pages',
    args: async () => {
      const page = await freshPage();
      await rest('delete_confluence_page', page);
      return { space_key: 'ENG', status: 'trashed' };
    },
    reached: (a) => expect(a.pages.map((p: Answer) => p.status)).toContain('trashed'),
  },
  {
    tool: 'get_confluence_space_pages',
    shape: 'an empty list (no archived pages)',
    args: () => ({ space_key: 'OPS', status: 'archived' }),
    reached: (a) => none(a.pages),
  },
  // Search
  {
    tool: 'search_confluence_pages',
    shape: 'pages found',
    args: () => ({ cql: 'type = page AND text ~ "deploy"' }),
    reached: (a) => some(a.pages),
  },
  {
    tool: 'search_confluence_pages',
    shape: 'a first page with next_cursor',
    args: () => ({ cql: 'space = BULK', limit: 2 }),
    reached: more,
  },
  {
    tool: 'search_confluence_pages',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('search_confluence_pages', { cql: 'space = BULK', limit: 2 }),
    reached: (a) => some(a.pages),
  },
  {
    tool: 'search_confluence_pages',
    shape: 'a blog post among the results, archived spaces included',
    args: () => ({ cql: 'type = blogpost', include_archived: true }),
    reached: (a) => expect(a.pages.map((p: Answer) => p.type)).toContain('blogpost'),
  },
  {
    tool: 'search_confluence_pages',
    shape: 'nothing found',
    args: () => ({ cql: 'text ~ "xyzzy-nowhere"' }),
    reached: (a) => none(a.pages),
  },
  {
    tool: 'search_confluence_pages',
    shape: 'CQL that does not parse (isError)',
    args: () => ({ cql: 'text ~ ("unclosed' }),
    reached: failed('invalid_arguments'),
    error: 'invalid_arguments',
  },
  // A page
  ...(['storage', 'markdown', 'view', 'atlas_doc_format'] as const).map(
    (format): Shape => ({
      tool: 'get_confluence_page',
      shape: `the whole page in ${format}`,
      args: () => ({ page_id: ARCH, body_format: format }),
      reached: (a) => {
        expect(a.page.content_format).toBe(format);
        expect(a.page.truncated).toBe(false);
        some(a.page.labels);
      },
    }),
  ),
  {
    tool: 'get_confluence_page',
    shape: 'a storage slice with next_offset',
    args: () => ({ page_id: P.large.id, max_chars: 1000 }),
    reached: (a) => sliced(a.page),
  },
  {
    tool: 'get_confluence_page',
    shape: 'a Markdown slice from an offset, with next_offset',
    args: () => ({ page_id: P.large.id, body_format: 'markdown', offset: 1000, max_chars: 1000 }),
    reached: (a) => {
      sliced(a.page);
      expect(a.page.omitted).toEqual(expect.any(Array));
    },
  },
  {
    tool: 'get_confluence_page',
    shape: 'the last slice',
    args: () => ({ page_id: ARCH, offset: 100 }),
    reached: (a) => {
      expect(a.page.truncated).toBe(false);
      expect(a.page).not.toHaveProperty('next_offset');
    },
  },
  ...(['markdown', 'storage'] as const).flatMap((format): Shape[] => [
    {
      tool: 'get_confluence_page',
      shape: `the outline in ${format}`,
      args: () => ({ page_id: ARCH, body_format: format, outline: true }),
      reached: (a) => {
        some(a.page.outline);
        expect(a.page.content).toBe('');
      },
    },
    {
      tool: 'get_confluence_page',
      shape: `one section in ${format}`,
      args: () => ({ page_id: ARCH, body_format: format, section: 'Services' }),
      reached: (a) => expect(a.page.section).toBe('Services'),
    },
  ]),
  {
    tool: 'get_confluence_page',
    shape: 'a draft',
    args: () => ({ page_id: P.draft.id, get_draft: true }),
    reached: (a) => expect(a.page.status).toBe('draft'),
  },
  {
    tool: 'get_confluence_page',
    shape: 'a live doc',
    args: async () => ({ page_id: (await freshPage({ subtype: 'live' })).page_id }),
    reached: (a) => expect(a.page.subtype).toBe('live'),
  },
  {
    tool: 'get_confluence_page',
    shape: 'a page in a folder, without labels',
    args: () => ({ page_id: T.meetingNotes.id, body_format: 'markdown' }),
    reached: (a) => {
      expect(a.page.parent_type).toBe('folder');
      none(a.page.labels);
    },
  },
  {
    tool: 'get_confluence_page',
    shape: 'a page in the trash (isError)',
    args: async () => {
      const page = await freshPage();
      await rest('delete_confluence_page', page);
      return { page_id: page.page_id };
    },
    reached: failed('not_found'),
    error: 'not_found',
  },
  {
    tool: 'get_confluence_page',
    shape: 'a page that is not there (isError)',
    args: () => ({ page_id: '999999999' }),
    reached: failed('not_found'),
    error: 'not_found',
  },
  {
    tool: 'get_confluence_page',
    shape: 'a heading that is not there (isError)',
    args: () => ({ page_id: ARCH, body_format: 'markdown', section: 'No such heading' }),
    reached: failed('invalid_arguments'),
    error: 'invalid_arguments',
  },
  // The tree
  {
    tool: 'get_confluence_page_children',
    shape: 'the nodes under a page, of every type',
    args: () => ({ page_id: P.engHome.id }),
    reached: (a) => expect(new Set(a.pages.map((p: Answer) => p.type))).toContain('folder'),
  },
  {
    tool: 'get_confluence_page_children',
    shape: 'descendants to depth 3',
    args: () => ({ page_id: P.engHome.id, depth: 3, limit: 250 }),
    reached: (a) => expect(Math.max(...a.pages.map((p: Answer) => p.depth))).toBe(3),
  },
  {
    tool: 'get_confluence_page_children',
    shape: 'a first page with next_cursor',
    args: () => ({ page_id: P.engHome.id, limit: 1 }),
    reached: more,
  },
  {
    tool: 'get_confluence_page_children',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('get_confluence_page_children', { page_id: P.engHome.id, limit: 1 }),
    reached: (a) => some(a.pages),
  },
  {
    tool: 'get_confluence_page_children',
    shape: 'what is in a folder',
    args: () => ({ page_id: T.folder.id, node_type: 'folder' }),
    reached: (a) => some(a.pages),
  },
  {
    tool: 'get_confluence_page_children',
    shape: 'nothing under a page',
    args: () => ({ page_id: P.apiGuidelines.id }),
    reached: (a) => none(a.pages),
  },
  {
    tool: 'get_confluence_page_ancestors',
    shape: 'a path through a folder',
    args: () => ({ page_id: T.meetingNotes.id }),
    reached: (a) => expect(a.ancestors.map((n: Answer) => n.type)).toEqual(['page', 'folder']),
  },
  {
    tool: 'get_confluence_page_ancestors',
    shape: 'the path above a smart link',
    args: () => ({ page_id: T.embed.id, node_type: 'embed' }),
    reached: (a) => some(a.ancestors),
  },
  {
    tool: 'get_confluence_page_ancestors',
    shape: 'no path above a space homepage',
    args: () => ({ page_id: P.engHome.id }),
    reached: (a) => none(a.ancestors),
  },
  // Comments
  {
    tool: 'get_confluence_comments',
    shape: 'footer and inline threads with replies, in Markdown',
    args: () => ({ page_id: ARCH, limit: 25 }),
    reached: (a) => {
      expect(new Set(a.comments.map((c: Answer) => c.kind))).toEqual(new Set(['footer', 'inline']));
      some(a.comments.flatMap((c: Answer) => c.replies));
      last(a);
    },
  },
  {
    tool: 'get_confluence_comments',
    shape: 'inline threads in storage, without replies',
    args: () => ({ page_id: ARCH, kind: 'inline', include_replies: false, body_format: 'storage' }),
    reached: (a) => {
      expect(a.comments[0]).toHaveProperty('text_selection');
      expect(a.comments[0]).not.toHaveProperty('replies');
    },
  },
  {
    tool: 'get_confluence_comments',
    shape: 'a first page with next_cursor',
    args: () => ({ page_id: ARCH, limit: 1 }),
    reached: more,
  },
  {
    tool: 'get_confluence_comments',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('get_confluence_comments', { page_id: ARCH, limit: 2 }),
    reached: (a) => some(a.comments),
  },
  {
    tool: 'get_confluence_comments',
    shape: "a blog post's comments",
    args: async () => {
      const { blogpost_id } = await freshBlogPost();
      await rest('add_confluence_comment', { blogpost_id, comment: 'Noted.' });
      return { blogpost_id };
    },
    reached: (a) => {
      expect(a).toHaveProperty('blogpost_id');
      some(a.comments);
    },
  },
  {
    tool: 'get_confluence_comments',
    shape: 'no comments',
    args: async () => ({ page_id: (await freshPage()).page_id, kind: 'footer' }),
    reached: (a) => none(a.comments),
  },
  // History
  {
    tool: 'get_confluence_page_history',
    shape: 'every version',
    args: () => ({ page_id: ARCH }),
    reached: (a) => {
      some(a.versions);
      last(a);
    },
  },
  {
    tool: 'get_confluence_page_history',
    shape: 'a first page with next_cursor',
    args: () => ({ page_id: ARCH, limit: 2 }),
    reached: more,
  },
  {
    tool: 'get_confluence_page_history',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('get_confluence_page_history', { page_id: ARCH, limit: 2 }),
    reached: (a) => some(a.versions),
  },
  {
    tool: 'compare_confluence_page_versions',
    shape: 'a Markdown diff with the current version',
    args: () => ({ page_id: ARCH, from_version: 2 }),
    reached: (a) => expect(a.to_version).toBe(5),
  },
  {
    tool: 'compare_confluence_page_versions',
    shape: 'a storage diff between two versions, sliced with next_offset',
    args: () => ({ page_id: ARCH, from_version: 1, to_version: 3, body_format: 'storage', max_chars: 50 }),
    reached: (a) => sliced(a),
  },
  {
    tool: 'compare_confluence_page_versions',
    shape: 'the current version against itself (isError)',
    args: () => ({ page_id: ARCH, from_version: 5 }),
    reached: failed('invalid_arguments'),
    error: 'invalid_arguments',
  },
  // Attachments
  {
    tool: 'get_confluence_attachments',
    shape: "a page's files",
    args: () => ({ page_id: ARCH }),
    reached: (a) => some(a.attachments),
  },
  {
    tool: 'get_confluence_attachments',
    shape: 'a first page with next_cursor',
    args: () => ({ page_id: ARCH, limit: 2 }),
    reached: more,
  },
  {
    tool: 'get_confluence_attachments',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('get_confluence_attachments', { page_id: ARCH, limit: 2 }),
    reached: (a) => some(a.attachments),
  },
  {
    tool: 'get_confluence_attachments',
    shape: 'one file by name',
    args: () => ({ page_id: ARCH, filename: A.notes.title }),
    reached: (a) => expect(a.attachments).toHaveLength(1),
  },
  {
    tool: 'get_confluence_attachments',
    shape: 'no file of a media type',
    args: () => ({ page_id: ARCH, media_type: 'application/pdf' }),
    reached: (a) => none(a.attachments),
  },
  ...[A.notes, A.csv, A.json].map(
    (file): Shape => ({
      tool: 'get_confluence_attachment_content',
      shape: `a whole text file (${file.mediaType})`,
      args: () => ({ attachment_id: file.id }),
      reached: (a) => {
        expect(a.kind).toBe('text');
        expect(a.truncated).toBe(false);
      },
    }),
  ),
  {
    tool: 'get_confluence_attachment_content',
    shape: 'a slice of a long text file, its length unknown',
    args: () => ({ attachment_id: A.log.id, max_chars: 1000 }),
    reached: (a) => {
      sliced(a);
      expect(a.total_chars).toBeNull();
    },
  },
  {
    tool: 'get_confluence_attachment_content',
    shape: 'an image',
    args: () => ({ attachment_id: A.image.id }),
    reached: (a) => expect(a.image.media_type).toBe('image/png'),
  },
  ...[A.binary, A.largeImage].map(
    (file): Shape => ({
      tool: 'get_confluence_attachment_content',
      shape: `a file it cannot read (${file.title})`,
      args: () => ({ attachment_id: file.id }),
      reached: (a) => expect(a.kind).toBe('unreadable'),
    }),
  ),
  // People
  {
    tool: 'search_confluence_users',
    shape: 'people by name',
    args: () => ({ query: 'al' }),
    reached: (a) => some(a.users),
  },
  {
    tool: 'search_confluence_users',
    shape: 'people by account id, one without an email',
    args: () => ({ account_ids: [SEED.users.alice.accountId, SEED.users.bob.accountId] }),
    reached: (a) => expect(a.users.some((u: Answer) => u.email === undefined)).toBe(true),
  },
  {
    tool: 'search_confluence_users',
    shape: 'the connected user',
    args: () => ({ current: true }),
    reached: (a) => expect(a.users[0].account_id).toBe(SEED.users.current.accountId),
  },
  {
    tool: 'search_confluence_users',
    shape: 'nobody found',
    args: () => ({ query: 'xyzzy' }),
    reached: (a) => none(a.users),
  },
  // Writing pages
  {
    tool: 'create_confluence_page',
    shape: 'a page from storage',
    args: () => ({ space_key: 'ENG', title: freshTitle(), body: PAGE_BODY }),
    reached: (a) => expect(a.page.status).toBe('current'),
  },
  {
    tool: 'create_confluence_page',
    shape: 'a draft from Markdown, under a parent, by space id',
    args: () => ({
      space_id: SEED.spaces.eng.id,
      title: freshTitle(),
      body: '## Steps\n\n1. Build',
      body_format: 'markdown',
      parent_id: P.runbooks.id,
      status: 'draft',
    }),
    reached: (a) => expect(a.page.status).toBe('draft'),
  },
  {
    tool: 'create_confluence_page',
    shape: 'a live doc',
    args: () => ({ space_key: 'ENG', title: freshTitle(), body: 'Live.', subtype: 'live' }),
    reached: (a) => expect(a.page.id).toEqual(expect.any(String)),
  },
  {
    tool: 'update_confluence_page',
    shape: 'a new body',
    args: async () => ({ ...(await freshPage()), body: '<p>New words.</p>' }),
    reached: (a) => expect(a.unchanged).toBe(false),
  },
  {
    tool: 'update_confluence_page',
    shape: 'a new title, kept a draft',
    args: async () => ({ ...(await freshPage({ status: 'draft' })), title: freshTitle(), status: 'draft' }),
    reached: (a) => expect(a.page.status).toBe('draft'),
  },
  {
    tool: 'update_confluence_page',
    shape: 'a draft published',
    args: async () => ({ ...(await freshPage({ status: 'draft' })), body: 'Ready.' }),
    reached: (a) => expect(a.page.status).toBe('current'),
  },
  {
    tool: 'update_confluence_page',
    shape: 'Markdown as read: unchanged',
    args: async () => {
      const page = await freshPage();
      const read = await rest('get_confluence_page', { page_id: page.page_id, body_format: 'markdown' });
      return { ...page, body: read.page.content, body_format: 'markdown' };
    },
    reached: (a) => expect(a.unchanged).toBe(true),
  },
  {
    tool: 'update_confluence_page',
    shape: 'a stale version (isError)',
    args: async () => ({ ...(await freshPage()), version_number: 7, body: 'Late.' }),
    reached: failed('version_conflict'),
    error: 'version_conflict',
  },
  {
    tool: 'update_confluence_page',
    shape: 'Markdown that would drop an element (isError)',
    args: async () => ({
      ...(await freshPage({ body: '<p>Kept.</p><ac:structured-macro ac:name="toc"/>' })),
      body: 'Only words.',
      body_format: 'markdown',
    }),
    reached: failed('content_loss'),
    error: 'content_loss',
  },
  {
    tool: 'update_confluence_page_section',
    shape: 'a section replaced from Markdown',
    args: async () => ({ ...(await freshPage()), heading: 'Notes', body: 'Replaced words.' }),
    reached: (a) => {
      expect(a.section).toBe('Notes');
      expect(a.unchanged).toBe(false);
    },
  },
  {
    tool: 'update_confluence_page_section',
    shape: 'storage appended to a section',
    args: async () => ({
      ...(await freshPage()),
      heading: 'Later',
      body: '<p>Even later.</p>',
      body_format: 'storage',
      mode: 'append',
    }),
    reached: (a) => expect(a.unchanged).toBe(false),
  },
  {
    tool: 'update_confluence_page_section',
    shape: 'a section as it is: unchanged',
    args: async () => ({ ...(await freshPage()), heading: 'Later', body: 'More words.' }),
    reached: (a) => expect(a.unchanged).toBe(true),
  },
  {
    tool: 'update_confluence_page_section',
    shape: 'a heading that is not there (isError)',
    args: async () => ({ ...(await freshPage()), heading: 'Nowhere', body: 'Lost.' }),
    reached: failed('invalid_arguments'),
    error: 'invalid_arguments',
  },
  // Comments written
  {
    tool: 'add_confluence_comment',
    shape: 'a comment on a page',
    args: () => ({ page_id: P.apiGuidelines.id, comment: 'Looks right.' }),
    reached: (a) => expect(a.comment.page_id).toBe(P.apiGuidelines.id),
  },
  {
    tool: 'add_confluence_comment',
    shape: 'a reply in Markdown',
    args: () => ({
      page_id: ARCH,
      comment: 'Agreed, **yes**.',
      body_format: 'markdown',
      parent_comment_id: SEED.comments.onArchitecture.id,
    }),
    reached: (a) => expect(a.comment.parent_comment_id).toBe(SEED.comments.onArchitecture.id),
  },
  {
    tool: 'add_confluence_comment',
    shape: 'a comment on a blog post',
    args: () => ({ blogpost_id: POST, comment: 'Nice.' }),
    reached: (a) => expect(a.comment.blogpost_id).toBe(POST),
  },
  {
    tool: 'add_confluence_inline_comment',
    shape: 'an inline comment on a page',
    args: async () => ({
      page_id: (await freshPage()).page_id,
      text_selection: 'edge gateway',
      comment: 'Which one?',
    }),
    reached: (a) => expect(a.comment.resolution_status).toBe('open'),
  },
  {
    tool: 'add_confluence_inline_comment',
    shape: 'an inline comment on a blog post',
    args: async () => ({
      blogpost_id: (await freshBlogPost()).blogpost_id,
      text_selection: 'edge gateway',
      comment: 'Which one?',
    }),
    reached: (a) => expect(a.comment).toHaveProperty('blogpost_id'),
  },
  {
    tool: 'add_confluence_inline_comment',
    shape: 'words that are not on the page (isError)',
    args: () => ({ page_id: ARCH, text_selection: 'xyzzy nowhere', comment: 'Lost.' }),
    reached: failed('invalid_arguments'),
    error: 'invalid_arguments',
  },
  // Labels
  {
    tool: 'add_confluence_labels',
    shape: 'labels added',
    args: async () => ({ page_id: (await freshPage()).page_id, labels: ['reviewed', 'Q3-plan'] }),
    reached: (a) => expect(a.labels).toHaveLength(2),
  },
  {
    tool: 'add_confluence_labels',
    shape: 'labels the page has already',
    args: () => ({ page_id: ARCH, labels: ['design'] }),
    reached: (a) => expect(a.labels.map((l: Answer) => l.name)).toEqual(['architecture', 'design']),
  },
  {
    tool: 'remove_confluence_label',
    shape: 'a label removed',
    args: async () => {
      const { page_id } = await freshPage();
      await rest('add_confluence_labels', { page_id, labels: ['stale', 'kept'] });
      return { page_id, label: 'stale' };
    },
    reached: (a) => expect(a.removed).toBe(true),
  },
  {
    tool: 'remove_confluence_label',
    shape: 'a label the page does not have',
    args: async () => ({ page_id: (await freshPage()).page_id, label: 'absent' }),
    reached: (a) => {
      expect(a.removed).toBe(false);
      none(a.labels);
    },
  },
  // Files written
  {
    tool: 'upload_confluence_attachment',
    shape: 'a text file',
    args: async () => ({ page_id: (await freshPage()).page_id, filename: 'notes.md', content: '# Notes' }),
    reached: (a) => expect(a.attachment.media_type).toBe('text/plain'),
  },
  {
    tool: 'upload_confluence_attachment',
    shape: 'a new version of a binary file',
    args: async () => {
      const { page_id } = await freshPage();
      const file = { page_id, filename: 'dot.png', content_base64: 'iVBORw0KGgo=', media_type: 'image/png' };
      await rest('upload_confluence_attachment', file);
      return { ...file, comment: 'Second.' };
    },
    reached: (a) => expect(a.attachment.version).toBe(2),
  },
  // Moving and trashing
  {
    tool: 'move_confluence_page',
    shape: 'a page moved under another',
    args: async () => ({ ...(await freshPage()), parent_id: P.runbooks.id }),
    reached: (a) => expect(a.page.parent_id).toBe(P.runbooks.id),
  },
  {
    tool: 'delete_confluence_page',
    shape: 'a page in the trash',
    args: () => freshPage(),
    reached: (a) => expect(a.page.status).toBe('trashed'),
  },
  {
    tool: 'delete_confluence_page',
    shape: 'a draft, which it does not trash (isError)',
    args: () => freshPage({ status: 'draft' }),
    reached: failed('invalid_arguments'),
    error: 'invalid_arguments',
  },
  // Blog posts
  {
    tool: 'get_confluence_space_blogposts',
    shape: 'the blog posts of a space',
    args: () => ({ space_key: 'ENG' }),
    reached: (a) => some(a.blogposts),
  },
  {
    tool: 'get_confluence_space_blogposts',
    shape: 'a first page with next_cursor',
    args: async () => {
      await freshBlogPost();
      return { space_key: 'ENG', limit: 1 };
    },
    reached: more,
  },
  {
    tool: 'get_confluence_space_blogposts',
    shape: 'the page a cursor names',
    args: async () => {
      await freshBlogPost();
      return nextCursorOf('get_confluence_space_blogposts', { space_key: 'ENG', limit: 1 });
    },
    reached: (a) => some(a.blogposts),
  },
  {
    tool: 'get_confluence_space_blogposts',
    shape: 'no trashed blog posts',
    args: () => ({ space_id: SEED.spaces.ops.id, status: 'trashed' }),
    reached: (a) => none(a.blogposts),
  },
  ...(['storage', 'markdown', 'view', 'atlas_doc_format'] as const).map(
    (format): Shape => ({
      tool: 'get_confluence_blogpost',
      shape: `a whole blog post in ${format}`,
      args: () => ({ blogpost_id: POST, body_format: format }),
      reached: (a) => expect(a.blogpost.content_format).toBe(format),
    }),
  ),
  {
    tool: 'get_confluence_blogpost',
    shape: 'a slice with next_offset',
    args: () => ({ blogpost_id: POST, max_chars: 20 }),
    reached: (a) => sliced(a.blogpost),
  },
  {
    tool: 'get_confluence_blogpost',
    shape: 'a draft',
    args: async () => ({
      blogpost_id: (await freshBlogPost({ status: 'draft' })).blogpost_id,
      get_draft: true,
    }),
    reached: (a) => expect(a.blogpost.status).toBe('draft'),
  },
  {
    tool: 'create_confluence_blogpost',
    shape: 'a blog post from storage',
    args: () => ({ space_key: 'ENG', title: freshTitle(), body: '<p>News.</p>' }),
    reached: (a) => expect(a.blogpost.status).toBe('current'),
  },
  {
    tool: 'create_confluence_blogpost',
    shape: 'a draft from Markdown, by space id',
    args: () => ({
      space_id: SEED.spaces.eng.id,
      title: freshTitle(),
      body: '**News**',
      body_format: 'markdown',
      status: 'draft',
    }),
    reached: (a) => expect(a.blogpost.status).toBe('draft'),
  },
  {
    tool: 'update_confluence_blogpost',
    shape: 'a new body',
    args: async () => ({ ...(await freshBlogPost()), body: 'New words.' }),
    reached: (a) => expect(a.unchanged).toBe(false),
  },
  {
    tool: 'update_confluence_blogpost',
    shape: 'Markdown as read: unchanged',
    args: async () => {
      const post = await freshBlogPost();
      const read = await rest('get_confluence_blogpost', {
        blogpost_id: post.blogpost_id,
        body_format: 'markdown',
      });
      return { ...post, body: read.blogpost.content, body_format: 'markdown' };
    },
    reached: (a) => expect(a.unchanged).toBe(true),
  },
  {
    tool: 'update_confluence_blogpost',
    shape: 'a stale version (isError)',
    args: async () => ({ ...(await freshBlogPost()), version_number: 9, title: freshTitle() }),
    reached: failed('version_conflict'),
    error: 'version_conflict',
  },
  // Content properties
  {
    tool: 'get_confluence_page_properties',
    shape: "a page's properties",
    args: () => ({ page_id: ARCH }),
    reached: (a) => some(a.properties),
  },
  {
    tool: 'get_confluence_page_properties',
    shape: "one key of a blog post's",
    args: () => ({ blogpost_id: POST, key: SEED.properties.audience.key }),
    reached: (a) => expect(a.properties).toHaveLength(1),
  },
  {
    tool: 'get_confluence_page_properties',
    shape: 'a first page with next_cursor',
    args: async () => {
      const { page_id } = await freshPage();
      await rest('set_confluence_page_property', { page_id, key: 'one', value: 1 });
      await rest('set_confluence_page_property', { page_id, key: 'two', value: 2 });
      return { page_id, limit: 1 };
    },
    reached: more,
  },
  {
    tool: 'get_confluence_page_properties',
    shape: 'no properties',
    args: async () => ({ page_id: (await freshPage()).page_id }),
    reached: (a) => none(a.properties),
  },
  {
    tool: 'set_confluence_page_property',
    shape: 'a property created',
    args: async () => ({
      page_id: (await freshPage()).page_id,
      key: 'review',
      value: { state: 'open', by: ['x'] },
    }),
    reached: (a) => expect(a.created).toBe(true),
  },
  {
    tool: 'set_confluence_page_property',
    shape: "a blog post's property replaced with null",
    args: async () => {
      const { blogpost_id } = await freshBlogPost();
      await rest('set_confluence_page_property', { blogpost_id, key: 'flag', value: true });
      return { blogpost_id, key: 'flag', value: null, version_number: 1 };
    },
    reached: (a) => {
      expect(a.created).toBe(false);
      expect(a.property.value).toBeNull();
    },
  },
  {
    tool: 'set_confluence_page_property',
    shape: 'an existing key without its version (isError)',
    args: () => ({ page_id: ARCH, key: SEED.properties.review.key, value: 1 }),
    reached: failed('version_conflict'),
    error: 'version_conflict',
  },
  {
    tool: 'delete_confluence_page_property',
    shape: 'a property deleted',
    args: async () => {
      const { page_id } = await freshPage();
      await rest('set_confluence_page_property', { page_id, key: 'gone', value: 'soon' });
      return { page_id, key: 'gone', version_number: 1 };
    },
    reached: (a) => expect(a.key).toBe('gone'),
  },
  {
    tool: 'delete_confluence_page_property',
    shape: 'a key that is not there (isError)',
    args: async () => ({ page_id: (await freshPage()).page_id, key: 'absent', version_number: 1 }),
    reached: failed('not_found'),
    error: 'not_found',
  },
  // Tasks
  {
    tool: 'get_confluence_tasks',
    shape: "the user's open tasks",
    args: () => ({}),
    reached: (a) => some(a.tasks),
  },
  {
    tool: 'get_confluence_tasks',
    shape: 'every task of a page, a first page with next_cursor',
    args: () => ({ status: 'all', assigned_to_me: false, limit: 1 }),
    reached: more,
  },
  {
    tool: 'get_confluence_tasks',
    shape: 'the page a cursor names',
    args: () => nextCursorOf('get_confluence_tasks', { status: 'all', assigned_to_me: false, limit: 1 }),
    reached: (a) => some(a.tasks),
  },
  {
    tool: 'get_confluence_tasks',
    shape: 'done tasks of a page',
    args: () => ({ page_id: SEED.tasks.smokeDone.pageId, status: 'complete' }),
    reached: (a) => expect(a.tasks[0].completed_at).toEqual(expect.any(String)),
  },
  {
    tool: 'get_confluence_tasks',
    shape: 'no task due before a day long past',
    args: () => ({ due_before: '2000-01-01' }),
    reached: (a) => none(a.tasks),
  },
  {
    tool: 'update_confluence_task',
    shape: 'a task marked done',
    args: async () => {
      await rest('update_confluence_task', { task_id: SEED.tasks.rotateKeys.id, status: 'incomplete' });
      return { task_id: SEED.tasks.rotateKeys.id, status: 'complete' };
    },
    reached: (a) => expect(a.task.status).toBe('complete'),
  },
  {
    tool: 'update_confluence_task',
    shape: 'a task already open',
    args: () => ({ task_id: SEED.tasks.reviewDiagram.id, status: 'incomplete' }),
    reached: (a) => expect(a.message).toContain('already'),
  },
  // Inline threads
  {
    tool: 'resolve_confluence_inline_comment',
    shape: 'a thread resolved',
    args: async () => ({ comment_id: await freshInlineComment() }),
    reached: (a) => {
      expect(a.unchanged).toBe(false);
      expect(a.comment.resolution_status).toBe('resolved');
    },
  },
  {
    tool: 'resolve_confluence_inline_comment',
    shape: 'a thread reopened',
    args: async () => {
      const comment_id = await freshInlineComment();
      await rest('resolve_confluence_inline_comment', { comment_id });
      return { comment_id, resolved: false };
    },
    reached: (a) => expect(a.comment.resolution_status).toBe('reopened'),
  },
  {
    tool: 'resolve_confluence_inline_comment',
    shape: 'a thread already resolved: unchanged',
    args: () => ({ comment_id: SEED.comments.inlineResolved.id }),
    reached: (a) => expect(a.unchanged).toBe(true),
  },
  {
    tool: 'resolve_confluence_inline_comment',
    shape: 'a reply, not a thread (isError)',
    args: () => ({ comment_id: SEED.comments.inlineReply.id }),
    reached: failed('invalid_arguments'),
    error: 'invalid_arguments',
  },
  // Compositions
  {
    tool: 'restore_confluence_page_version',
    shape: 'an earlier version restored',
    args: async () => {
      const page = await freshPage();
      await rest('update_confluence_page', { ...page, body: 'Replaced.' });
      return { page_id: page.page_id, version_number: 2, restore_version: 1 };
    },
    reached: (a) => expect(a.restored_from).toBe(1),
  },
  {
    tool: 'copy_confluence_page',
    shape: 'a copy beside the original',
    args: async () => ({ page_id: (await freshPage()).page_id }),
    reached: (a) => expect(a.copied).toHaveLength(1),
  },
  {
    tool: 'copy_confluence_page',
    shape: 'a subtree copied to another space, a folder skipped',
    args: async () => {
      const { page_id } = await freshPage();
      await rest('create_confluence_page', {
        space_key: 'ENG',
        title: freshTitle(),
        body: 'Child.',
        parent_id: page_id,
      });
      await rest('create_confluence_folder', { space_key: 'ENG', title: freshTitle(), parent_id: page_id });
      return { page_id, space_key: 'OPS', title: freshTitle(), include_children: true };
    },
    reached: (a) => {
      expect(a.copied).toHaveLength(2);
      expect(a.skipped).toHaveLength(1);
    },
  },
  // Folders, whiteboards and databases
  {
    tool: 'get_confluence_folder',
    shape: 'a folder',
    args: () => ({ folder_id: T.folder.id }),
    reached: (a) => expect(a.folder.type).toBe('folder'),
  },
  {
    tool: 'create_confluence_folder',
    shape: 'a folder at the top of a space',
    args: () => ({ space_key: 'ENG', title: freshTitle() }),
    reached: (a) => expect(a.folder.type).toBe('folder'),
  },
  {
    tool: 'create_confluence_folder',
    shape: 'a folder in a folder, by space id',
    args: () => ({
      space_id: SEED.spaces.eng.id,
      title: freshTitle(),
      parent_id: T.folder.id,
      parent_type: 'folder',
    }),
    reached: (a) => expect(a.folder.parent_id).toBe(T.folder.id),
  },
  ...(['whiteboard', 'database'] as const).flatMap((type): Shape[] => [
    {
      tool: 'get_confluence_whiteboard_or_database',
      shape: `a ${type}`,
      args: () => ({ id: type === 'whiteboard' ? T.whiteboard.id : T.database.id, type }),
      reached: (a) => expect(a.node.type).toBe(type),
    },
    {
      tool: 'create_confluence_whiteboard_or_database',
      shape: `a ${type}`,
      args: () => ({ type, space_key: 'ENG', title: freshTitle(), parent_id: P.runbooks.id }),
      reached: (a) => expect(a.node.type).toBe(type),
    },
    {
      tool: 'delete_confluence_whiteboard_or_database',
      shape: `a ${type} in the trash`,
      args: async () => {
        const { node } = await rest('create_confluence_whiteboard_or_database', {
          type,
          space_key: 'ENG',
          title: freshTitle(),
        });
        return { id: node.id, type };
      },
      reached: (a) => expect(a.type).toBe(type),
    },
  ]),
  // Templates
  {
    tool: 'get_confluence_templates',
    shape: "the site's templates",
    args: () => ({}),
    reached: (a) => {
      expect(a.space_key).toBeNull();
      some(a.templates);
    },
  },
  {
    tool: 'get_confluence_templates',
    shape: "a space's templates",
    args: () => ({ space_key: 'ENG' }),
    reached: (a) => expect(a.templates[0].space_key).toBe('ENG'),
  },
  {
    tool: 'create_confluence_page_from_template',
    shape: 'a page from a template',
    args: () => ({ template_id: SEED.templates.decisionRecord.id, space_key: 'ENG', title: freshTitle() }),
    reached: (a) => expect(a.template_id).toBe(SEED.templates.decisionRecord.id),
  },
  // Restrictions
  {
    tool: 'get_confluence_page_restrictions',
    shape: 'no restrictions',
    args: async () => ({ page_id: (await freshPage()).page_id }),
    reached: (a) => none([...a.read.users, ...a.read.groups, ...a.update.users, ...a.update.groups]),
  },
  {
    tool: 'get_confluence_page_restrictions',
    shape: 'a user and a group',
    args: async () => {
      const { page_id } = await freshPage();
      const user = { page_id, operation: 'update', account_id: SEED.users.current.accountId };
      await rest('add_confluence_page_restriction', user);
      await rest('add_confluence_page_restriction', {
        page_id,
        operation: 'update',
        group_name: 'engineering',
      });
      return { page_id };
    },
    reached: (a) => {
      some(a.update.users);
      some(a.update.groups);
    },
  },
  {
    tool: 'add_confluence_page_restriction',
    shape: 'a user added',
    args: async () => ({
      page_id: (await freshPage()).page_id,
      operation: 'read',
      account_id: SEED.users.current.accountId,
    }),
    reached: (a) => some(a.read.users),
  },
  {
    tool: 'remove_confluence_page_restriction',
    shape: 'a group removed',
    args: async () => {
      const { page_id } = await freshPage();
      const group = { page_id, operation: 'update', group_name: 'engineering' };
      await rest('add_confluence_page_restriction', group);
      return group;
    },
    reached: (a) => none(a.update.groups),
  },
  // ChatGPT's pair
  {
    tool: 'search',
    shape: 'results',
    args: () => ({ query: 'deploy' }),
    reached: (a) => some(a.results),
  },
  {
    tool: 'search',
    shape: 'nothing to look for',
    args: () => ({ query: '**' }),
    reached: (a) => none(a.results),
  },
  {
    tool: 'fetch',
    shape: 'a page as Markdown',
    args: () => ({ id: P.deployRunbook.id }),
    reached: (a) => expect(a.metadata.truncated).toBe(false),
  },
  {
    tool: 'fetch',
    shape: 'a page too long to send whole',
    args: () => ({ id: P.huge.id }),
    reached: (a) => expect(a.metadata.truncated).toBe(true),
  },
];

/** What each client says of a result: it throws when structuredContent does not match its outputSchema. */
async function callChecked(client: McpTestClient, row: Shape, args: Args): Promise<Answer> {
  const result = await client.callTool(row.tool, args);
  const answer = result.structuredContent;
  if (row.error) {
    expect(result.isError, JSON.stringify(answer)).toBe(true);
    expect(errorSchema(answer), JSON.stringify(errorSchema.errors)).toBe(true);
  } else {
    expect(result.isError, JSON.stringify(answer)).toBeFalsy();
    const closed = closedSchemas.get(row.tool);
    expect(closed?.(answer), `the whole result schema: ${JSON.stringify(closed?.errors)}`).toBe(true);
  }
  const outline = listed.get(row.tool);
  expect(outline?.(answer), `the listed outputSchema: ${JSON.stringify(outline?.errors)}`).toBe(true);
  row.reached(answer);
  return answer;
}

/** The arguments as an OpenAI strict-mode model sends them: every property, null where it sets none. */
function asStrictModel(tool: string, args: Args): Args {
  const names = properties.get(tool) ?? [];
  return Object.fromEntries(names.map((name) => [name, args[name] ?? null]));
}

describe.concurrent('every answer shape of every tool, through the v1 SDK client (as LangChain runs it)', () => {
  it('covers every listed tool', async () => {
    const { tools } = await v1.listTools();
    const covered = new Set(SHAPES.map((row) => row.tool));
    const names: string[] = tools.map((tool: { name: string }) => tool.name);
    expect(names.filter((name) => !covered.has(name))).toEqual([]);
    expect(tools.every((tool: { outputSchema?: unknown }) => tool.outputSchema !== undefined)).toBe(true);
  });

  it.each(SHAPES.map((row) => [`${row.tool}: ${row.shape}`, row] as const))(
    '%s passes its outputSchema',
    async (_name, row) => {
      await callChecked(v1, row, await row.args());
    },
  );
});

describe.concurrent('every answer shape again, through the v2 client (as the Agents SDK runs it) with OpenAI strict-mode arguments: every optional argument present as null', () => {
  it.each(SHAPES.map((row) => [`${row.tool}: ${row.shape}`, row] as const))(
    '%s passes its outputSchema',
    async (_name, row) => {
      await callChecked(v2, row, asStrictModel(row.tool, await row.args()));
    },
  );
});
