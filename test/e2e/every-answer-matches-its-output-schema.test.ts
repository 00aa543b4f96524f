/**
 * Every shape of every tool's answer passes the tool's own output schema, through the clients that
 * check it, and OpenAI strict-mode arguments are answered as the same call without its nulls. Both
 * official SDK clients (and so the OpenAI Agents SDK, LangChain's adapters and the Inspector, built
 * on them) refuse a `structuredContent` that does not match the `outputSchema` they listed; a
 * strict-mode model sends every argument, null for each optional one it leaves out.
 *
 * One table: each tool in each shape it answers with (body formats, slices with next_offset,
 * outlines and sections, drafts and trashed pages, empty lists, a list's next page, `unchanged`
 * writes, images and unreadable files, failures as isError results, ChatGPT's search and fetch).
 * Each row goes through the v1 client with its arguments as written, and through the v2 client as
 * a strict-mode model sends them. Either client throws on a result its outputSchema refuses; the
 * result is also held to the listed outputSchema and to the tool's whole result schema (closed:
 * every nested field, enum and type), and the row checks that it reached the shape it names.
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
/** Checks that an answer has the shape its row names (and not another); `error` marks a failure's. */
type Reached = ((answer: Answer) => unknown) & { error?: string };
/** The arguments, made afresh for every call (a write gets content of its own), and the check. */
type Row = [args: () => Args | Promise<Args>, reached: Reached];

let sandbox: ConnectedSandbox;
let v1: McpTestClient;
let v2: McpTestClient;
/** The outputSchema each tool listed, compiled. */
const listed = new Map<string, ReturnType<Ajv['compile']>>();
/** Each tool's arguments as tools/list gives them: what a strict-mode model sends, null or not. */
const properties = new Map<string, string[]>();

beforeAll(async () => {
  // Most rows set their scene with calls of their own, and each is called twice: more than the
  // default 600 tool calls a minute.
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

/** A tool's answer over REST, setting the scene for a row; a failure throws. */
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
  const created = { space_key: 'ENG', title: freshTitle(), body: PAGE_BODY, ...options };
  const { page } = await rest('create_confluence_page', created);
  return { page_id: page.id, version_number: page.version };
}

/** A fresh blog post of ENG. */
async function freshBlogPost(options: Args = {}): Promise<{ blogpost_id: string; version_number: number }> {
  const created = { space_key: 'ENG', title: freshTitle(), body: '<p>News about the edge gateway.</p>' };
  const { blogpost } = await rest('create_confluence_blogpost', { ...created, ...options });
  return { blogpost_id: blogpost.id, version_number: blogpost.version };
}

/** A fresh inline comment thread on a fresh page. */
async function freshInlineComment(): Promise<string> {
  const { page_id } = await freshPage();
  const anchored = { page_id, text_selection: 'edge gateway', comment: 'Which one?' };
  return (await rest('add_confluence_inline_comment', anchored)).comment.id;
}

/** The arguments with the next_cursor of their first answer, for a row that reads the next page. */
async function nextCursorOf(tool: string, args: Args): Promise<Args> {
  const first = await rest(tool, args);
  if (!first.next_cursor) throw new Error(`${tool} gave no next_cursor: ${JSON.stringify(first)}`);
  return { ...args, cursor: first.next_cursor };
}

/** A first page and the page its cursor names, both of a list with more than `args.limit` items. */
function paged(tool: string, args: () => Args | Promise<Args>, items: string): Record<string, Row> {
  return {
    'a first page with next_cursor': [args, more],
    'the page a cursor names': [async () => nextCursorOf(tool, await args()), (a) => some(a[items])],
  };
}

const P = SEED.pages;
const ARCH = P.architecture.id;
const POST = P.blogPost.id;
const T = SEED.tree;
const A = SEED.attachments;
const ME = SEED.users.current.accountId;
const FORMATS = ['storage', 'markdown', 'view', 'atlas_doc_format'] as const;

const some = (list: unknown[] | undefined) => expect(list?.length).toBeGreaterThan(0);
const none = (list: unknown[] | undefined) => expect(list).toEqual([]);
const more = (answer: Answer) =>
  expect(answer).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
const last = (answer: Answer) => expect(answer.has_more === false && !('next_cursor' in answer)).toBe(true);
const sliced = (part: Answer) => expect(part.truncated && part.next_offset > part.offset).toBe(true);
const failed = (code: string): Reached =>
  Object.assign((answer: Answer) => expect(answer.error.code).toBe(code), { error: code });

/** Each tool, by name, in each shape it answers with. */
const TABLE: Record<string, Record<string, Row>> = {
  get_confluence_spaces: {
    'every space, the last page of the list': [() => ({}), (a) => [some(a.spaces), last(a)]],
    ...paged('get_confluence_spaces', () => ({ limit: 2 }), 'spaces'),
    'personal spaces': [
      () => ({ space_type: 'personal' }),
      (a) => expect(a.spaces.map((s: Answer) => s.type)).toEqual(['personal']),
    ],
    'an empty list': [() => ({ space_type: 'onboarding' }), (a) => none(a.spaces)],
  },
  get_confluence_space_pages: {
    'pages by space key, with the folders they sit in': [
      () => ({ space_key: 'ENG', limit: 250 }),
      (a) => [expect(a.space_key).toBe('ENG'), some(a.containers)],
    ],
    ...paged('get_confluence_space_pages', () => ({ space_id: SEED.spaces.bulk.id, limit: 3 }), 'pages'),
    'trashed pages': [
      async () => {
        await rest('delete_confluence_page', await freshPage());
        return { space_key: 'ENG', status: 'trashed' };
      },
      (a) => expect(a.pages.map((p: Answer) => p.status)).toContain('trashed'),
    ],
    'an empty list (no archived pages)': [
      () => ({ space_key: 'OPS', status: 'archived' }),
      (a) => none(a.pages),
    ],
  },
  search_confluence_pages: {
    'pages found': [() => ({ cql: 'type = page AND text ~ "deploy"' }), (a) => some(a.pages)],
    ...paged('search_confluence_pages', () => ({ cql: 'space = BULK', limit: 2 }), 'pages'),
    'a blog post among the results, archived spaces included': [
      () => ({ cql: 'type = blogpost', include_archived: true }),
      (a) => expect(a.pages.map((p: Answer) => p.type)).toContain('blogpost'),
    ],
    'nothing found': [() => ({ cql: 'text ~ "xyzzy-nowhere"' }), (a) => none(a.pages)],
    'CQL that does not parse (isError)': [() => ({ cql: 'text ~ ("unclosed' }), failed('invalid_arguments')],
  },
  get_confluence_page: {
    ...Object.fromEntries(
      FORMATS.map((format): [string, Row] => [
        `the whole page in ${format}`,
        [
          () => ({ page_id: ARCH, body_format: format }),
          (a) => [
            expect(a.page).toMatchObject({ content_format: format, truncated: false }),
            some(a.page.labels),
          ],
        ],
      ]),
    ),
    'a storage slice with next_offset': [
      () => ({ page_id: P.large.id, max_chars: 1000 }),
      (a) => sliced(a.page),
    ],
    'a Markdown slice from an offset, with next_offset': [
      () => ({ page_id: P.large.id, body_format: 'markdown', offset: 1000, max_chars: 1000 }),
      (a) => [sliced(a.page), expect(a.page.omitted).toEqual(expect.any(Array))],
    ],
    'the last slice': [
      () => ({ page_id: ARCH, offset: 100 }),
      (a) => expect(a.page.truncated === false && !('next_offset' in a.page)).toBe(true),
    ],
    ...Object.fromEntries(
      (['markdown', 'storage'] as const).flatMap((format): [string, Row][] => [
        [
          `the outline in ${format}`,
          [
            () => ({ page_id: ARCH, body_format: format, outline: true }),
            (a) => [some(a.page.outline), expect(a.page.content).toBe('')],
          ],
        ],
        [
          `one section in ${format}`,
          [
            () => ({ page_id: ARCH, body_format: format, section: 'Services' }),
            (a) => expect(a.page.section).toBe('Services'),
          ],
        ],
      ]),
    ),
    'a draft': [() => ({ page_id: P.draft.id, get_draft: true }), (a) => expect(a.page.status).toBe('draft')],
    'a live doc': [
      async () => ({ page_id: (await freshPage({ subtype: 'live' })).page_id }),
      (a) => expect(a.page.subtype).toBe('live'),
    ],
    'a page in a folder, without labels': [
      () => ({ page_id: T.meetingNotes.id, body_format: 'markdown' }),
      (a) => [expect(a.page.parent_type).toBe('folder'), none(a.page.labels)],
    ],
    'a page in the trash (isError)': [
      async () => {
        const page = await freshPage();
        await rest('delete_confluence_page', page);
        return { page_id: page.page_id };
      },
      failed('not_found'),
    ],
    'a page that is not there (isError)': [() => ({ page_id: '999999999' }), failed('not_found')],
    'a heading that is not there (isError)': [
      () => ({ page_id: ARCH, body_format: 'markdown', section: 'No such heading' }),
      failed('invalid_arguments'),
    ],
  },
  get_confluence_page_children: {
    'the nodes under a page, of every type': [
      () => ({ page_id: P.engHome.id }),
      (a) => expect(a.pages.map((p: Answer) => p.type)).toContain('folder'),
    ],
    'descendants to depth 3': [
      () => ({ page_id: P.engHome.id, depth: 3, limit: 250 }),
      (a) => expect(Math.max(...a.pages.map((p: Answer) => p.depth))).toBe(3),
    ],
    ...paged('get_confluence_page_children', () => ({ page_id: P.engHome.id, limit: 1 }), 'pages'),
    'what is in a folder': [() => ({ page_id: T.folder.id, node_type: 'folder' }), (a) => some(a.pages)],
    'nothing under a page': [() => ({ page_id: P.apiGuidelines.id }), (a) => none(a.pages)],
  },
  get_confluence_page_ancestors: {
    'a path through a folder': [
      () => ({ page_id: T.meetingNotes.id }),
      (a) => expect(a.ancestors.map((n: Answer) => n.type)).toEqual(['page', 'folder']),
    ],
    'the path above a smart link': [
      () => ({ page_id: T.embed.id, node_type: 'embed' }),
      (a) => some(a.ancestors),
    ],
    'no path above a space homepage': [() => ({ page_id: P.engHome.id }), (a) => none(a.ancestors)],
  },
  get_confluence_comments: {
    'footer and inline threads with replies, in Markdown': [
      () => ({ page_id: ARCH, limit: 25 }),
      (a) => [
        expect(new Set(a.comments.map((c: Answer) => c.kind))).toEqual(new Set(['footer', 'inline'])),
        some(a.comments.flatMap((c: Answer) => c.replies)),
        last(a),
      ],
    ],
    'inline threads in storage, without replies': [
      () => ({ page_id: ARCH, kind: 'inline', include_replies: false, body_format: 'storage' }),
      (a) => expect('text_selection' in a.comments[0] && !('replies' in a.comments[0])).toBe(true),
    ],
    ...paged('get_confluence_comments', () => ({ page_id: ARCH, limit: 2 }), 'comments'),
    "a blog post's comments": [
      async () => {
        const { blogpost_id } = await freshBlogPost();
        await rest('add_confluence_comment', { blogpost_id, comment: 'Noted.' });
        return { blogpost_id };
      },
      (a) => [expect(a).toHaveProperty('blogpost_id'), some(a.comments)],
    ],
    'no comments': [
      async () => ({ page_id: (await freshPage()).page_id, kind: 'footer' }),
      (a) => none(a.comments),
    ],
  },
  get_confluence_page_history: {
    'every version': [() => ({ page_id: ARCH }), (a) => [some(a.versions), last(a)]],
    ...paged('get_confluence_page_history', () => ({ page_id: ARCH, limit: 2 }), 'versions'),
  },
  compare_confluence_page_versions: {
    'a Markdown diff with the current version': [
      () => ({ page_id: ARCH, from_version: 2 }),
      (a) => expect(a.to_version).toBe(P.architecture.version),
    ],
    'a storage diff between two versions, sliced with next_offset': [
      () => ({ page_id: ARCH, from_version: 1, to_version: 3, body_format: 'storage', max_chars: 50 }),
      sliced,
    ],
    'the current version against itself (isError)': [
      () => ({ page_id: ARCH, from_version: P.architecture.version }),
      failed('invalid_arguments'),
    ],
  },
  get_confluence_attachments: {
    "a page's files": [() => ({ page_id: ARCH }), (a) => some(a.attachments)],
    ...paged('get_confluence_attachments', () => ({ page_id: ARCH, limit: 2 }), 'attachments'),
    'one file by name': [
      () => ({ page_id: ARCH, filename: A.notes.title }),
      (a) => expect(a.attachments).toHaveLength(1),
    ],
    'no file of a media type': [
      () => ({ page_id: ARCH, media_type: 'application/pdf' }),
      (a) => none(a.attachments),
    ],
  },
  get_confluence_attachment_content: {
    ...Object.fromEntries(
      [A.notes, A.csv, A.json].map((file): [string, Row] => [
        `a whole text file (${file.mediaType})`,
        [
          () => ({ attachment_id: file.id }),
          (a) => expect(a).toMatchObject({ kind: 'text', truncated: false }),
        ],
      ]),
    ),
    'a slice of a long text file, its length unknown': [
      () => ({ attachment_id: A.log.id, max_chars: 1000 }),
      (a) => [sliced(a), expect(a.total_chars).toBeNull()],
    ],
    'an image': [() => ({ attachment_id: A.image.id }), (a) => expect(a.image.media_type).toBe('image/png')],
    ...Object.fromEntries(
      [A.binary, A.largeImage].map((file): [string, Row] => [
        `a file it cannot read (${file.title})`,
        [() => ({ attachment_id: file.id }), (a) => expect(a.kind).toBe('unreadable')],
      ]),
    ),
  },
  search_confluence_users: {
    'people by name': [() => ({ query: 'al' }), (a) => some(a.users)],
    'people by account id, one without an email': [
      () => ({ account_ids: [SEED.users.alice.accountId, SEED.users.bob.accountId] }),
      (a) => expect(a.users.some((user: Answer) => !('email' in user))).toBe(true),
    ],
    'the connected user': [() => ({ current: true }), (a) => expect(a.users[0].account_id).toBe(ME)],
    'nobody found': [() => ({ query: 'xyzzy' }), (a) => none(a.users)],
  },
  create_confluence_page: {
    'a page from storage': [
      () => ({ space_key: 'ENG', title: freshTitle(), body: PAGE_BODY }),
      (a) => expect(a.page.status).toBe('current'),
    ],
    'a draft from Markdown, under a parent, by space id': [
      () => ({
        space_id: SEED.spaces.eng.id,
        title: freshTitle(),
        body: '## Steps\n\n1. Build',
        body_format: 'markdown',
        parent_id: P.runbooks.id,
        status: 'draft',
      }),
      (a) => expect(a.page.status).toBe('draft'),
    ],
    'a live doc': [
      () => ({ space_key: 'ENG', title: freshTitle(), body: 'Live.', subtype: 'live' }),
      (a) => expect(a.page.id).toEqual(expect.any(String)),
    ],
  },
  update_confluence_page: {
    'a new body': [
      async () => ({ ...(await freshPage()), body: '<p>New words.</p>' }),
      (a) => expect(a.unchanged).toBe(false),
    ],
    'a new title, kept a draft': [
      async () => ({ ...(await freshPage({ status: 'draft' })), title: freshTitle(), status: 'draft' }),
      (a) => expect(a.page.status).toBe('draft'),
    ],
    'a draft published': [
      async () => ({ ...(await freshPage({ status: 'draft' })), body: 'Ready.' }),
      (a) => expect(a.page.status).toBe('current'),
    ],
    'Markdown as read: unchanged': [
      async () => {
        const page = await freshPage();
        const read = await rest('get_confluence_page', { page_id: page.page_id, body_format: 'markdown' });
        return { ...page, body: read.page.content, body_format: 'markdown' };
      },
      (a) => expect(a.unchanged).toBe(true),
    ],
    'a stale version (isError)': [
      async () => ({ ...(await freshPage()), version_number: 7, body: 'Late.' }),
      failed('version_conflict'),
    ],
    'Markdown that would drop an element (isError)': [
      async () => ({
        ...(await freshPage({ body: '<p>Kept.</p><ac:structured-macro ac:name="toc"/>' })),
        body: 'Only words.',
        body_format: 'markdown',
      }),
      failed('content_loss'),
    ],
  },
  update_confluence_page_section: {
    'a section replaced from Markdown': [
      async () => ({ ...(await freshPage()), heading: 'Notes', body: 'Replaced words.' }),
      (a) => expect(a).toMatchObject({ section: 'Notes', unchanged: false }),
    ],
    'storage appended to a section': [
      async () => ({
        ...(await freshPage()),
        heading: 'Later',
        body: '<p>Even later.</p>',
        body_format: 'storage',
        mode: 'append',
      }),
      (a) => expect(a.unchanged).toBe(false),
    ],
    'a section as it is: unchanged': [
      async () => ({ ...(await freshPage()), heading: 'Later', body: 'More words.' }),
      (a) => expect(a.unchanged).toBe(true),
    ],
    'a heading that is not there (isError)': [
      async () => ({ ...(await freshPage()), heading: 'Nowhere', body: 'Lost.' }),
      failed('invalid_arguments'),
    ],
  },
  add_confluence_comment: {
    'a comment on a page': [
      () => ({ page_id: P.apiGuidelines.id, comment: 'Looks right.' }),
      (a) => expect(a.comment.page_id).toBe(P.apiGuidelines.id),
    ],
    'a reply in Markdown': [
      () => ({
        page_id: ARCH,
        comment: 'Agreed, **yes**.',
        body_format: 'markdown',
        parent_comment_id: SEED.comments.onArchitecture.id,
      }),
      (a) => expect(a.comment.parent_comment_id).toBe(SEED.comments.onArchitecture.id),
    ],
    'a comment on a blog post': [
      () => ({ blogpost_id: POST, comment: 'Nice.' }),
      (a) => expect(a.comment.blogpost_id).toBe(POST),
    ],
  },
  add_confluence_inline_comment: {
    'an inline comment on a page': [
      async () => ({
        page_id: (await freshPage()).page_id,
        text_selection: 'edge gateway',
        comment: 'Which?',
      }),
      (a) => expect(a.comment.resolution_status).toBe('open'),
    ],
    'an inline comment on a blog post': [
      async () => ({
        blogpost_id: (await freshBlogPost()).blogpost_id,
        text_selection: 'edge gateway',
        comment: 'Which?',
      }),
      (a) => expect(a.comment).toHaveProperty('blogpost_id'),
    ],
    'words that are not on the page (isError)': [
      () => ({ page_id: ARCH, text_selection: 'xyzzy nowhere', comment: 'Lost.' }),
      failed('invalid_arguments'),
    ],
  },
  add_confluence_labels: {
    'labels added': [
      async () => ({ page_id: (await freshPage()).page_id, labels: ['reviewed', 'Q3-plan'] }),
      (a) => expect(a.labels).toHaveLength(2),
    ],
    'labels the page has already': [
      () => ({ page_id: ARCH, labels: ['design'] }),
      (a) => expect(a.labels.map((label: Answer) => label.name)).toEqual(['architecture', 'design']),
    ],
  },
  remove_confluence_label: {
    'a label removed': [
      async () => {
        const { page_id } = await freshPage();
        await rest('add_confluence_labels', { page_id, labels: ['stale', 'kept'] });
        return { page_id, label: 'stale' };
      },
      (a) => expect(a.removed).toBe(true),
    ],
    'a label the page does not have': [
      async () => ({ page_id: (await freshPage()).page_id, label: 'absent' }),
      (a) => [expect(a.removed).toBe(false), none(a.labels)],
    ],
  },
  upload_confluence_attachment: {
    'a text file': [
      async () => ({ page_id: (await freshPage()).page_id, filename: 'notes.md', content: '# Notes' }),
      (a) => expect(a.attachment.media_type).toBe('text/plain'),
    ],
    'a new version of a binary file': [
      async () => {
        const { page_id } = await freshPage();
        const file = {
          page_id,
          filename: 'dot.png',
          content_base64: 'iVBORw0KGgo=',
          media_type: 'image/png',
        };
        await rest('upload_confluence_attachment', file);
        return { ...file, comment: 'Second.' };
      },
      (a) => expect(a.attachment.version).toBe(2),
    ],
  },
  move_confluence_page: {
    'a page moved under another': [
      async () => ({ ...(await freshPage()), parent_id: P.runbooks.id }),
      (a) => expect(a.page.parent_id).toBe(P.runbooks.id),
    ],
  },
  delete_confluence_page: {
    'a page in the trash': [() => freshPage(), (a) => expect(a.page.status).toBe('trashed')],
    'a draft, which it does not trash (isError)': [
      () => freshPage({ status: 'draft' }),
      failed('invalid_arguments'),
    ],
  },
  get_confluence_space_blogposts: {
    'the blog posts of a space': [() => ({ space_key: 'ENG' }), (a) => some(a.blogposts)],
    ...paged(
      'get_confluence_space_blogposts',
      async () => {
        await freshBlogPost();
        return { space_key: 'ENG', limit: 1 };
      },
      'blogposts',
    ),
    'no trashed blog posts': [
      () => ({ space_id: SEED.spaces.ops.id, status: 'trashed' }),
      (a) => none(a.blogposts),
    ],
  },
  get_confluence_blogpost: {
    ...Object.fromEntries(
      FORMATS.map((format): [string, Row] => [
        `a whole blog post in ${format}`,
        [
          () => ({ blogpost_id: POST, body_format: format }),
          (a) => expect(a.blogpost.content_format).toBe(format),
        ],
      ]),
    ),
    'a slice with next_offset': [() => ({ blogpost_id: POST, max_chars: 20 }), (a) => sliced(a.blogpost)],
    'a draft': [
      async () => ({ blogpost_id: (await freshBlogPost({ status: 'draft' })).blogpost_id, get_draft: true }),
      (a) => expect(a.blogpost.status).toBe('draft'),
    ],
  },
  create_confluence_blogpost: {
    'a blog post from storage': [
      () => ({ space_key: 'ENG', title: freshTitle(), body: '<p>News.</p>' }),
      (a) => expect(a.blogpost.status).toBe('current'),
    ],
    'a draft from Markdown, by space id': [
      () => ({
        space_id: SEED.spaces.eng.id,
        title: freshTitle(),
        body: '**News**',
        body_format: 'markdown',
        status: 'draft',
      }),
      (a) => expect(a.blogpost.status).toBe('draft'),
    ],
  },
  update_confluence_blogpost: {
    'a new body': [
      async () => ({ ...(await freshBlogPost()), body: 'New words.' }),
      (a) => expect(a.unchanged).toBe(false),
    ],
    'Markdown as read: unchanged': [
      async () => {
        const post = await freshBlogPost();
        const read = await rest('get_confluence_blogpost', {
          blogpost_id: post.blogpost_id,
          body_format: 'markdown',
        });
        return { ...post, body: read.blogpost.content, body_format: 'markdown' };
      },
      (a) => expect(a.unchanged).toBe(true),
    ],
    'a stale version (isError)': [
      async () => ({ ...(await freshBlogPost()), version_number: 9, title: freshTitle() }),
      failed('version_conflict'),
    ],
  },
  get_confluence_page_properties: {
    "a page's properties": [() => ({ page_id: ARCH }), (a) => some(a.properties)],
    "one key of a blog post's": [
      () => ({ blogpost_id: POST, key: SEED.properties.audience.key }),
      (a) => expect(a.properties).toHaveLength(1),
    ],
    ...paged(
      'get_confluence_page_properties',
      async () => {
        const { page_id } = await freshPage();
        await rest('set_confluence_page_property', { page_id, key: 'one', value: 1 });
        await rest('set_confluence_page_property', { page_id, key: 'two', value: 2 });
        return { page_id, limit: 1 };
      },
      'properties',
    ),
    'no properties': [async () => ({ page_id: (await freshPage()).page_id }), (a) => none(a.properties)],
  },
  set_confluence_page_property: {
    'a property created': [
      async () => ({
        page_id: (await freshPage()).page_id,
        key: 'review',
        value: { state: 'open', by: ['x'] },
      }),
      (a) => expect(a.created).toBe(true),
    ],
    "a blog post's property replaced with null": [
      async () => {
        const { blogpost_id } = await freshBlogPost();
        await rest('set_confluence_page_property', { blogpost_id, key: 'flag', value: true });
        return { blogpost_id, key: 'flag', value: null, version_number: 1 };
      },
      (a) => expect(a).toMatchObject({ created: false, property: { value: null } }),
    ],
    'an existing key without its version (isError)': [
      () => ({ page_id: ARCH, key: SEED.properties.review.key, value: 1 }),
      failed('version_conflict'),
    ],
  },
  delete_confluence_page_property: {
    'a property deleted': [
      async () => {
        const { page_id } = await freshPage();
        await rest('set_confluence_page_property', { page_id, key: 'gone', value: 'soon' });
        return { page_id, key: 'gone', version_number: 1 };
      },
      (a) => expect(a.key).toBe('gone'),
    ],
    'a key that is not there (isError)': [
      async () => ({ page_id: (await freshPage()).page_id, key: 'absent', version_number: 1 }),
      failed('not_found'),
    ],
  },
  get_confluence_tasks: {
    "the user's open tasks": [() => ({}), (a) => some(a.tasks)],
    ...paged('get_confluence_tasks', () => ({ status: 'all', assigned_to_me: false, limit: 1 }), 'tasks'),
    'done tasks of a page': [
      () => ({ page_id: SEED.tasks.smokeDone.pageId, status: 'complete' }),
      (a) => expect(a.tasks[0].completed_at).toEqual(expect.any(String)),
    ],
    'no task due before a day long past': [() => ({ due_before: '2000-01-01' }), (a) => none(a.tasks)],
  },
  update_confluence_task: {
    'a task marked done': [
      async () => {
        await rest('update_confluence_task', { task_id: SEED.tasks.rotateKeys.id, status: 'incomplete' });
        return { task_id: SEED.tasks.rotateKeys.id, status: 'complete' };
      },
      (a) => expect(a.task.status).toBe('complete'),
    ],
    'a task already open': [
      () => ({ task_id: SEED.tasks.reviewDiagram.id, status: 'incomplete' }),
      (a) => expect(a.message).toContain('already'),
    ],
  },
  resolve_confluence_inline_comment: {
    'a thread resolved': [
      async () => ({ comment_id: await freshInlineComment() }),
      (a) => expect(a).toMatchObject({ unchanged: false, comment: { resolution_status: 'resolved' } }),
    ],
    'a thread reopened': [
      async () => {
        const comment_id = await freshInlineComment();
        await rest('resolve_confluence_inline_comment', { comment_id });
        return { comment_id, resolved: false };
      },
      (a) => expect(a.comment.resolution_status).toBe('reopened'),
    ],
    'a thread already resolved: unchanged': [
      () => ({ comment_id: SEED.comments.inlineResolved.id }),
      (a) => expect(a.unchanged).toBe(true),
    ],
    'a reply, not a thread (isError)': [
      () => ({ comment_id: SEED.comments.inlineReply.id }),
      failed('invalid_arguments'),
    ],
  },
  restore_confluence_page_version: {
    'an earlier version restored': [
      async () => {
        const page = await freshPage();
        await rest('update_confluence_page', { ...page, body: 'Replaced.' });
        return { page_id: page.page_id, version_number: 2, restore_version: 1 };
      },
      (a) => expect(a.restored_from).toBe(1),
    ],
  },
  copy_confluence_page: {
    'a copy beside the original': [
      async () => ({ page_id: (await freshPage()).page_id }),
      (a) => expect(a.copied).toHaveLength(1),
    ],
    'a subtree copied to another space, a folder skipped': [
      async () => {
        const { page_id } = await freshPage();
        const below = { space_key: 'ENG', parent_id: page_id };
        await rest('create_confluence_page', { ...below, title: freshTitle(), body: 'Child.' });
        await rest('create_confluence_folder', { ...below, title: freshTitle() });
        return { page_id, space_key: 'OPS', title: freshTitle(), include_children: true };
      },
      (a) => [expect(a.copied).toHaveLength(2), expect(a.skipped).toHaveLength(1)],
    ],
  },
  get_confluence_folder: {
    'a folder': [() => ({ folder_id: T.folder.id }), (a) => expect(a.folder.type).toBe('folder')],
  },
  create_confluence_folder: {
    'a folder at the top of a space': [
      () => ({ space_key: 'ENG', title: freshTitle() }),
      (a) => expect(a.folder.type).toBe('folder'),
    ],
    'a folder in a folder, by space id': [
      () => ({
        space_id: SEED.spaces.eng.id,
        title: freshTitle(),
        parent_id: T.folder.id,
        parent_type: 'folder',
      }),
      (a) => expect(a.folder.parent_id).toBe(T.folder.id),
    ],
  },
  get_confluence_whiteboard_or_database: {
    'a whiteboard': [
      () => ({ id: T.whiteboard.id, type: 'whiteboard' }),
      (a) => expect(a.node.type).toBe('whiteboard'),
    ],
    'a database': [
      () => ({ id: T.database.id, type: 'database' }),
      (a) => expect(a.node.type).toBe('database'),
    ],
  },
  create_confluence_whiteboard_or_database: Object.fromEntries(
    (['whiteboard', 'database'] as const).map((type): [string, Row] => [
      `a ${type} under a page`,
      [
        () => ({ type, space_key: 'ENG', title: freshTitle(), parent_id: P.runbooks.id }),
        (a) => expect(a.node).toMatchObject({ type, parent_id: P.runbooks.id }),
      ],
    ]),
  ),
  delete_confluence_whiteboard_or_database: Object.fromEntries(
    (['whiteboard', 'database'] as const).map((type): [string, Row] => [
      `a ${type} in the trash`,
      [
        async () => {
          const made = { type, space_key: 'ENG', title: freshTitle() };
          return { id: (await rest('create_confluence_whiteboard_or_database', made)).node.id, type };
        },
        (a) => expect(a.type).toBe(type),
      ],
    ]),
  ),
  get_confluence_templates: {
    // The seeded site has one template of its own and one of ENG: too few for a second page.
    "the site's templates": [() => ({}), (a) => [expect(a.space_key).toBeNull(), some(a.templates), last(a)]],
    "a space's templates": [
      () => ({ space_key: 'ENG' }),
      (a) => expect(a.templates[0].space_key).toBe('ENG'),
    ],
  },
  create_confluence_page_from_template: {
    'a page from a template': [
      () => ({ template_id: SEED.templates.decisionRecord.id, space_key: 'ENG', title: freshTitle() }),
      (a) => expect(a.template_id).toBe(SEED.templates.decisionRecord.id),
    ],
  },
  get_confluence_page_restrictions: {
    'no restrictions': [
      async () => ({ page_id: (await freshPage()).page_id }),
      (a) => none([...a.read.users, ...a.read.groups, ...a.update.users, ...a.update.groups]),
    ],
    'a user and a group': [
      async () => {
        const { page_id } = await freshPage();
        await rest('add_confluence_page_restriction', { page_id, operation: 'update', account_id: ME });
        await rest('add_confluence_page_restriction', {
          page_id,
          operation: 'update',
          group_name: 'engineering',
        });
        return { page_id };
      },
      (a) => [some(a.update.users), some(a.update.groups)],
    ],
  },
  add_confluence_page_restriction: {
    'a user added': [
      async () => ({ page_id: (await freshPage()).page_id, operation: 'read', account_id: ME }),
      (a) => some(a.read.users),
    ],
  },
  remove_confluence_page_restriction: {
    'a group removed': [
      async () => {
        const group = {
          page_id: (await freshPage()).page_id,
          operation: 'update',
          group_name: 'engineering',
        };
        await rest('add_confluence_page_restriction', group);
        return group;
      },
      (a) => none(a.update.groups),
    ],
  },
  search: {
    results: [() => ({ query: 'deploy' }), (a) => some(a.results)],
    'nothing to look for': [() => ({ query: '**' }), (a) => none(a.results)],
  },
  fetch: {
    'a page as Markdown': [
      () => ({ id: P.deployRunbook.id }),
      (a) => expect(a.metadata.truncated).toBe(false),
    ],
    'a page too long to send whole': [
      () => ({ id: P.huge.id }),
      (a) => expect(a.metadata.truncated).toBe(true),
    ],
  },
};

interface Shape {
  tool: string;
  shape: string;
  args: Row[0];
  reached: Reached;
}

const SHAPES: Shape[] = Object.entries(TABLE).flatMap(([tool, rows]) =>
  Object.entries(rows).map(([shape, [args, reached]]) => ({ tool, shape, args, reached })),
);
const NAMED = SHAPES.map((row) => [`${row.tool}: ${row.shape}`, row] as const);

/** A call through a client, which throws when structuredContent does not match the tool's outputSchema. */
async function callChecked(client: McpTestClient, row: Shape, args: Args): Promise<void> {
  const result = await client.callTool(row.tool, args);
  const answer = result.structuredContent;
  if (row.reached.error) {
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
}

/** The arguments as an OpenAI strict-mode model sends them: every one, null where it sets none. */
function asStrictModel(tool: string, args: Args): Args {
  const names = properties.get(tool) ?? [];
  expect(Object.keys(args).filter((name) => !names.includes(name))).toEqual([]);
  return Object.fromEntries(names.map((name) => [name, args[name] ?? null]));
}

// Each row's content is its own (or seeded and left as it is), so the rows run side by side.
describe.concurrent('every answer shape of every tool, through the v1 client (as LangChain runs it)', () => {
  it('covers every listed tool, each of which lists an outputSchema', async () => {
    const { tools } = await v1.listTools();
    const names: string[] = tools.map((tool: { name: string }) => tool.name);
    expect(names.filter((name) => TABLE[name] === undefined)).toEqual([]);
    expect(tools.filter((tool: { outputSchema?: unknown }) => tool.outputSchema === undefined)).toEqual([]);
  });

  it.each(NAMED)('%s passes its outputSchema', async (_name, row) => {
    await callChecked(v1, row, await row.args());
  });
});

describe.concurrent('every answer shape again, through the v2 client (as the Agents SDK runs it), with OpenAI strict-mode arguments: every optional one null', () => {
  it.each(NAMED)('%s passes its outputSchema', async (_name, row) => {
    await callChecked(v2, row, asStrictModel(row.tool, await row.args()));
  });
});
