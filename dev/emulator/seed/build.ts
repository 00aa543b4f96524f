import {
  type AttachmentVersion,
  type CommentRecord,
  ContentStore,
  type PageRecord,
  type SpaceRecord,
} from '../confluence/content-store.ts';
import { SEED } from '../seed.ts';
import { CLOUD_IDS, type Site } from '../sites.ts';
import { USERS } from '../users.ts';
import * as bodies from './bodies.ts';
import { CORPUS } from './corpus.ts';

const { current, alice, bob } = USERS;

/** A 1×1 PNG: a real image an agent could look at. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const LOG_TEXT = Array.from(
  { length: 12_000 },
  (_, i) =>
    `2026-01-21T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z step ${i}: ok\n`,
).join('');
const LARGE_PNG = Buffer.concat([PNG_1X1, Buffer.alloc(1_200_000, 7)]);

/** An older version's body: the current one with a draft line the later edit removed. */
const draftBody = (body: string, number: number) =>
  body.includes('</h1>')
    ? body.replace('</h1>', `</h1><p>Draft of revision ${number}.</p>`)
    : `<p>Draft of revision ${number}.</p>${body}`;

/** Bodies big enough for slicing tests; built once, shared by every reset (strings are immutable). */
const LARGE_BODY = bodies.sizedBody(SEED.pages.large.title, 50 * 1024);
const HUGE_BODY = bodies.sizedBody(SEED.pages.huge.title, 1024 * 1024);

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 0, 1 + day, hour)).toISOString();

interface PageSpec {
  id: string;
  title: string;
  space: SpaceRecord;
  body: string;
  day: number;
  parentId?: string;
  type?: PageRecord['type'];
  status?: PageRecord['status'];
  version?: number;
  labels?: string[];
  author?: string;
  viewers?: string[];
}

/** Seeds one site: acme gets the full world, any other Confluence site a small handbook. */
export function buildSiteContent(site: Site): ContentStore {
  return site.id === CLOUD_IDS.acme ? buildAcme(site) : buildHandbook(site);
}

function space(
  store: ContentStore,
  s: Omit<SpaceRecord, 'authorId' | 'createdAt' | 'description'>,
  day: number,
) {
  const record: SpaceRecord = {
    ...s,
    authorId: s.type === 'personal' ? alice.accountId : current.accountId,
    createdAt: at(day),
    description: `${s.name}: documentation and decisions.`,
  };
  store.spaces.push(record);
  return record;
}

let labelIds = 1000;
function addPage(store: ContentStore, spec: PageSpec): PageRecord {
  const author = spec.author ?? alice.accountId;
  const versionCount = spec.version ?? 1;
  const versions = Array.from({ length: versionCount }, (_, i) => ({
    number: i + 1,
    message: i === 0 ? '' : `Edit ${i + 1}`,
    authorId: i % 2 === 0 ? author : bob.accountId,
    createdAt: at(spec.day + i * 3, 10 + (i % 8)),
    minorEdit: i === 2,
    body: i === versionCount - 1 ? spec.body : draftBody(spec.body, i + 1),
  }));
  const page: PageRecord = {
    id: spec.id,
    type: spec.type ?? 'page',
    spaceId: spec.space.id,
    title: spec.title,
    status: spec.status ?? 'current',
    parentId: spec.parentId,
    position: spec.type === 'blogpost' ? undefined : store.nextPosition(spec.parentId),
    authorId: author,
    ownerId: author,
    createdAt: at(spec.day),
    body: spec.body,
    versions,
    labels: (spec.labels ?? []).map((name) => ({ id: String(labelIds++), name, prefix: 'global' as const })),
    viewers: spec.viewers,
  };
  store.pages.set(page.id, page);
  return page;
}

function buildAcme(site: Site): ContentStore {
  labelIds = 1000;
  const store = new ContentStore(site, 80000);
  const S = SEED.spaces;
  const P = SEED.pages;
  const eng = space(store, { ...S.eng, type: 'global', status: 'current' }, 0);
  const ops = space(store, { ...S.ops, type: 'global', status: 'current' }, 1);
  const bulk = space(store, { ...S.bulk, type: 'global', status: 'current' }, 2);
  const arch = space(store, { ...S.archived, type: 'global', status: 'archived' }, 3);
  const personal = space(store, { ...S.personal, type: 'personal', status: 'current' }, 4);
  const docs = space(store, { ...S.docs, type: 'global', status: 'current' }, 5);

  const home = addPage(store, {
    ...P.engHome,
    space: eng,
    day: 0,
    body: bodies.simplePage(P.engHome.title, 'Welcome to Engineering. Start with the Architecture Overview.'),
  });
  addPage(store, {
    ...P.architecture,
    space: eng,
    day: 5,
    parentId: home.id,
    body: bodies.ARCHITECTURE_BODY,
    labels: ['architecture', 'design'],
    author: current.accountId,
  });
  const runbooks = addPage(store, {
    ...P.runbooks,
    space: eng,
    day: 6,
    parentId: home.id,
    body: bodies.simplePage(P.runbooks.title, 'Operational runbooks for the engineering teams.'),
    labels: ['runbook'],
  });
  addPage(store, {
    ...P.deployRunbook,
    space: eng,
    day: 7,
    parentId: runbooks.id,
    body: bodies.DEPLOY_RUNBOOK_BODY,
    labels: ['runbook', 'deploy'],
    version: 3,
  });
  addPage(store, {
    ...P.incidentResponse,
    space: eng,
    day: 8,
    parentId: runbooks.id,
    body: bodies.INCIDENT_RESPONSE_BODY,
    labels: ['runbook', 'oncall'],
    version: 2,
  });
  addPage(store, {
    ...P.apiGuidelines,
    space: eng,
    day: 9,
    parentId: home.id,
    body: bodies.API_GUIDELINES_BODY,
    labels: ['api'],
  });
  addPage(store, {
    ...P.large,
    space: eng,
    day: 10,
    parentId: home.id,
    body: LARGE_BODY,
    labels: ['design'],
  });
  addPage(store, { ...P.huge, space: eng, day: 11, parentId: home.id, body: HUGE_BODY });
  addPage(store, {
    ...P.restricted,
    space: eng,
    day: 12,
    parentId: home.id,
    body: bodies.RESTRICTED_BODY,
    labels: ['security'],
    author: bob.accountId,
    viewers: [bob.accountId],
  });
  addPage(store, {
    ...P.restrictedSalary,
    space: eng,
    day: 13,
    parentId: home.id,
    body: bodies.SALARY_BODY,
    author: bob.accountId,
    viewers: [bob.accountId],
  });
  addPage(store, {
    ...P.blogPost,
    space: eng,
    day: 14,
    type: 'blogpost',
    body: bodies.simplePage(
      P.blogPost.title,
      'This month we shipped cursor pagination and a faster deploy pipeline.',
    ),
    labels: ['release-notes'],
  });
  addPage(store, { ...P.glossary, space: eng, day: 15, parentId: home.id, body: bodies.GLOSSARY_BODY });
  addPage(store, {
    ...P.draft,
    space: eng,
    day: 16,
    parentId: home.id,
    status: 'draft',
    author: current.accountId,
    body: bodies.simplePage(P.draft.title, 'Draft: goals for the first quarter.'),
  });

  const opsHome = addPage(store, {
    ...P.opsHome,
    space: ops,
    day: 1,
    body: bodies.simplePage(P.opsHome.title, 'Operations team space.'),
  });
  addPage(store, {
    ...P.oncall,
    space: ops,
    day: 17,
    parentId: opsHome.id,
    labels: ['oncall'],
    body: '<h1>On-call Schedule</h1><table><tbody><tr><th>Week</th><th>Primary</th></tr><tr><td>1</td><td>Alice</td></tr><tr><td>2</td><td>Bob</td></tr></tbody></table>',
  });
  addPage(store, {
    id: '65603',
    title: 'Postmortem Template',
    space: ops,
    day: 18,
    parentId: opsHome.id,
    body: bodies.simplePage('Postmortem Template', 'Summary, impact, timeline, root cause, action items.'),
    labels: ['template'],
  });

  const archHome = addPage(store, {
    id: S.archived.homepageId,
    title: 'Legacy Archive Home',
    space: arch,
    day: 3,
    body: bodies.simplePage('Legacy Archive Home', 'Archived documentation.'),
  });
  addPage(store, {
    ...P.archivedDeploy,
    space: arch,
    day: 4,
    parentId: archHome.id,
    body: bodies.simplePage(P.archivedDeploy.title, 'How we used to deploy with FTP. Do not follow.'),
    labels: ['deploy'],
  });

  const personalHome = addPage(store, {
    id: S.personal.homepageId,
    title: 'Alice Archer Home',
    space: personal,
    day: 4,
    body: bodies.simplePage('Alice Archer Home', 'My personal space.'),
  });
  addPage(store, {
    ...P.personalNotes,
    space: personal,
    day: 19,
    parentId: personalHome.id,
    body: bodies.simplePage(P.personalNotes.title, 'Reading list and deploy ideas.'),
  });

  const bulkHome = addPage(store, {
    ...P.bulkHome,
    space: bulk,
    day: 2,
    body: bodies.simplePage(P.bulkHome.title, 'Many pages, for paging tests.'),
  });
  const docsHome = addPage(store, {
    id: S.docs.homepageId,
    title: S.docs.name,
    space: docs,
    day: 3,
    body: bodies.simplePage(S.docs.name, 'Storage-format documents for the Markdown conversion.'),
  });
  CORPUS.forEach((document, n) => {
    const id = String(SEED.corpusFirstId + n);
    addPage(store, {
      id,
      title: document.title,
      space: docs,
      day: 4,
      parentId: docsHome.id,
      body: document.body,
    });
  });
  for (let n = 1; n < SEED.bulkPageCount; n++) {
    const title = `Bulk Page ${String(n).padStart(3, '0')}`;
    addPage(store, {
      id: String(70000 + n),
      title,
      space: bulk,
      day: 20 + (n % 200),
      parentId: bulkHome.id,
      body: bodies.simplePage(title, `Bulk content number ${n}.`),
      labels: n % 10 === 0 ? ['bulk-tenth'] : [],
    });
  }

  const T = SEED.tree;
  const node = (spec: (typeof T)[keyof typeof T], day: number, body = '') =>
    addPage(store, {
      id: spec.id,
      title: spec.title,
      type: spec.type,
      space: eng,
      day,
      parentId: spec.parentId,
      body: body || bodies.simplePage(spec.title, `${spec.title}.`),
    });
  node(T.folder, 20);
  node(T.meetingNotes, 21, bodies.simplePage(T.meetingNotes.title, 'We agreed on a weekly sync.'));
  node(T.whiteboard, 22);
  node(T.database, 23);
  node(T.smokeTests, 24, bodies.simplePage(T.smokeTests.title, 'Open the status page and sign in once.'));
  node(T.embed, 25).embedUrl = 'https://status.example.com/dashboard';

  const C = SEED.comments;
  const comment = (
    spec: Omit<CommentRecord, 'body' | 'authorId' | 'createdAt' | 'version' | 'kind'>,
    kind: CommentRecord['kind'],
    body: string,
    author: string,
    day: number,
    extra: Partial<CommentRecord> = {},
  ) =>
    store.comments.set(spec.id, {
      ...spec,
      kind,
      body,
      authorId: author,
      createdAt: at(day),
      version: { number: 1, message: '', minorEdit: false, authorId: author, createdAt: at(day) },
      ...extra,
    });
  comment(
    C.onArchitecture,
    'footer',
    '<p>Should notification-hub move to TypeScript too?</p>',
    alice.accountId,
    20,
  );
  comment(C.reply, 'footer', '<p>Not this quarter.</p>', bob.accountId, 21);
  comment(C.secondFooter, 'footer', '<p>The request flow diagram is out of date.</p>', bob.accountId, 22);
  comment(C.inline, 'inline', '<p>Which gateway: Cloudflare or our own?</p>', bob.accountId, 23, {
    textSelection: C.inline.textSelection,
    resolutionStatus: 'open',
  });
  comment(C.inlineReply, 'inline', '<p>Cloudflare Workers.</p>', alice.accountId, 24);
  comment(C.inlineResolved, 'inline', '<p>Link the bus runbook here.</p>', alice.accountId, 25, {
    textSelection: C.inlineResolved.textSelection,
    resolutionStatus: 'resolved',
  });

  const A = SEED.attachments;
  const attach = (
    spec: { id: string; title: string; mediaType: string },
    day: number,
    contents: Array<string | Uint8Array>,
  ) => {
    const versions: AttachmentVersion[] = contents.map((content, i) => ({
      number: i + 1,
      message: '',
      minorEdit: false,
      authorId: alice.accountId,
      createdAt: at(day + i),
      bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content,
      mediaType: spec.mediaType,
      comment: i === 0 ? '' : 'Updated',
    }));
    store.attachments.set(spec.id, {
      id: spec.id,
      pageId: P.architecture.id,
      title: spec.title,
      fileId: `f${spec.id.slice(3)}-0000-4000-8000-000000000000`,
      versions,
    });
  };
  attach(A.notes, 26, [
    'Draft notes.\n',
    'Meeting notes: move billing-api to the new gateway.\nOwner: Payments.\n',
  ]);
  attach(A.csv, 27, [
    'service,owner,language\nbilling-api,Payments,TypeScript\nsearch-indexer,Discovery,Go\n',
  ]);
  attach(A.json, 28, ['{"gateway":{"timeoutMs":5000,"retries":2}}\n']);
  attach(A.image, 29, [PNG_1X1]);
  attach(A.binary, 30, [Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0xff, 0xfe])]);
  attach(A.log, 31, [LOG_TEXT]);
  attach(A.largeImage, 32, [LARGE_PNG]);

  for (const [index, task] of Object.values(SEED.tasks).entries()) {
    const done = task.assignee === 'alice';
    store.tasks.set(task.id, {
      id: task.id,
      localId: String(index + 1),
      contentId: task.pageId,
      body: `<span>${task.text}</span>`,
      status: done ? 'complete' : 'incomplete',
      createdBy: alice.accountId,
      assignedTo: task.assignee === 'current' ? current.accountId : alice.accountId,
      createdAt: at(34),
      updatedAt: at(done ? 36 : 34),
      ...(task.due && { dueAt: at(60) }),
      ...(done && { completedBy: alice.accountId, completedAt: at(36) }),
    });
  }

  const TPL = SEED.templates;
  store.templates.set(TPL.meetingNotes.id, {
    id: TPL.meetingNotes.id,
    name: TPL.meetingNotes.name,
    description: 'Agenda, attendees, decisions and action items.',
    body: '<h2>Attendees</h2><ul><li><p>Name</p></li></ul><h2>Decisions</h2><p>What was decided.</p><ac:task-list><ac:task><ac:task-status>incomplete</ac:task-status><ac:task-body>Action item</ac:task-body></ac:task></ac:task-list>',
    labels: [{ id: '3001', name: 'meeting-notes', prefix: 'global' }],
  });
  store.templates.set(TPL.decisionRecord.id, {
    id: TPL.decisionRecord.id,
    name: TPL.decisionRecord.name,
    description: 'Context, options and the decision.',
    spaceKey: TPL.decisionRecord.spaceKey,
    body: '<h2>Context</h2><p>Why a decision is needed.</p><h2>Options</h2><ol><li><p>First option</p></li></ol><h2>Decision</h2><p>What we chose.</p>',
    labels: [],
  });

  for (const property of Object.values(SEED.properties)) {
    const edited = property.key === SEED.properties.review.key;
    store.properties.set(property.id, {
      id: property.id,
      contentId: property.pageId,
      key: property.key,
      value: structuredClone(property.value),
      version: {
        number: edited ? 2 : 1,
        message: '',
        minorEdit: false,
        authorId: edited ? bob.accountId : alice.accountId,
        createdAt: at(33),
      },
    });
  }
  return store;
}

function buildHandbook(site: Site): ContentStore {
  labelIds = 5000;
  const store = new ContentStore(site, 200100);
  const G = SEED.globex;
  const handbook = space(store, { ...G.spaces.handbook, type: 'global', status: 'current' }, 0);
  const home = addPage(store, {
    id: G.spaces.handbook.homepageId,
    title: 'Globex Handbook',
    space: handbook,
    day: 0,
    body: bodies.simplePage('Globex Handbook', 'Everything a new Globex employee needs.'),
  });
  addPage(store, {
    ...G.pages.welcome,
    space: handbook,
    day: 1,
    parentId: home.id,
    body: bodies.simplePage(G.pages.welcome.title, 'Welcome aboard.'),
    labels: ['onboarding'],
  });
  addPage(store, {
    id: '200003',
    title: 'Expense Policy',
    space: handbook,
    day: 2,
    parentId: home.id,
    body: bodies.simplePage('Expense Policy', 'Keep receipts for 90 days.'),
  });
  const eng = space(store, { ...G.spaces.eng, type: 'global', status: 'current' }, 3);
  const engHome = addPage(store, {
    id: G.spaces.eng.homepageId,
    title: 'Globex Engineering',
    space: eng,
    day: 3,
    body: bodies.simplePage('Globex Engineering', 'How Globex builds software.'),
  });
  addPage(store, {
    id: G.pages.multilingual.id,
    title: G.pages.multilingual.title,
    space: eng,
    day: 4,
    parentId: engHome.id,
    body: bodies.MULTILINGUAL_BODY,
  });
  return store;
}
