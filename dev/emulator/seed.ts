import { CLOUD_IDS } from './sites.ts';
import { USERS } from './users.ts';

/**
 * The notable ids of the seeded world, for tests to find things (also at `GET /_emulator/seed`).
 * Everything is deterministic: the same ids, titles and dates after every restart and reset.
 */
export const SEED = {
  sites: {
    acme: { cloudId: CLOUD_IDS.acme, url: 'https://acme.atlassian.net', name: 'acme' },
    globex: { cloudId: CLOUD_IDS.globex, url: 'https://globex.atlassian.net', name: 'globex' },
    initechJira: { cloudId: CLOUD_IDS.initech, url: 'https://initech.atlassian.net', name: 'initech' },
  },
  users: USERS,
  /** Spaces of the acme site. */
  spaces: {
    eng: { id: '98305', key: 'ENG', name: 'Engineering', homepageId: '65537' },
    ops: { id: '98306', key: 'OPS', name: 'Operations', homepageId: '65601' },
    bulk: { id: '98307', key: 'BULK', name: 'Bulk Test Space', homepageId: '70000' },
    archived: { id: '98308', key: 'ARCH', name: 'Legacy Archive', homepageId: '65701' },
    personal: { id: '98309', key: '~5b10ac8d82e05b22cc7d4ef5', name: 'Alice Archer', homepageId: '65801' },
    /** The storage-format corpus (seed/corpus.ts): pages 66001… in CORPUS order. */
    docs: { id: '98310', key: 'DOCS', name: 'Storage Format Corpus', homepageId: '66000' },
  },
  /** The id of the first corpus page; the others follow in CORPUS order. */
  corpusFirstId: 66001,
  /** Pages of the acme site. */
  pages: {
    engHome: { id: '65537', title: 'Engineering Home', spaceKey: 'ENG' },
    /** Headings, a table, a code macro, links, an info panel; at version 5; labels architecture, design. */
    architecture: { id: '65538', title: 'Architecture Overview', spaceKey: 'ENG', version: 5 },
    runbooks: { id: '65539', title: 'Runbooks', spaceKey: 'ENG' },
    deployRunbook: { id: '65540', title: 'Deploy Runbook', spaceKey: 'ENG', parentId: '65539' },
    incidentResponse: { id: '65541', title: 'Incident Response', spaceKey: 'ENG', parentId: '65539' },
    apiGuidelines: { id: '65542', title: 'API Guidelines', spaceKey: 'ENG' },
    /** About 50 KB of storage body. */
    large: { id: '65543', title: 'Large Design Document', spaceKey: 'ENG' },
    /** About 1 MB of storage body. */
    huge: { id: '65544', title: 'Huge Export', spaceKey: 'ENG' },
    /** Restricted to Bob: the current user gets 404, and search never shows it. */
    restricted: { id: '65545', title: 'Security Incident Postmortem', spaceKey: 'ENG' },
    restrictedSalary: { id: '65546', title: 'Salary Bands 2026', spaceKey: 'ENG' },
    blogPost: { id: '65547', title: 'Release Notes: November 2026', spaceKey: 'ENG' },
    glossary: { id: '65548', title: 'Glossary of "Quoted" Terms', spaceKey: 'ENG' },
    /** status draft: GET needs get-draft=true (or status=draft). */
    draft: { id: '65549', title: 'Q1 Planning', spaceKey: 'ENG' },
    opsHome: { id: '65601', title: 'Operations Home', spaceKey: 'OPS' },
    oncall: { id: '65602', title: 'On-call Schedule', spaceKey: 'OPS' },
    archivedDeploy: { id: '65702', title: 'Legacy Deploy Process', spaceKey: 'ARCH' },
    personalNotes: { id: '65802', title: "Alice's Notes", spaceKey: '~5b10ac8d82e05b22cc7d4ef5' },
    bulkHome: { id: '70000', title: 'Bulk Test Space Home', spaceKey: 'BULK' },
    /** Bulk pages are 70001…70259, titled "Bulk Page 001"…"Bulk Page 259". */
    bulkFirst: { id: '70001', title: 'Bulk Page 001', spaceKey: 'BULK' },
  },
  /** Page-tree nodes that are not pages, and pages below them (acme, ENG). */
  tree: {
    /** A folder under Engineering Home holding one page. */
    folder: { id: '65560', title: 'Team Notes', type: 'folder', parentId: '65537' },
    meetingNotes: { id: '65561', title: 'Meeting Notes January', type: 'page', parentId: '65560' },
    whiteboard: { id: '65562', title: 'Deploy Flow Sketch', type: 'whiteboard', parentId: '65539' },
    database: { id: '65563', title: 'Service Catalog', type: 'database', parentId: '65537' },
    /** Third level: Engineering Home › Runbooks › Deploy Runbook › Smoke Tests. */
    smokeTests: { id: '65564', title: 'Smoke Tests', type: 'page', parentId: '65540' },
    /** A smart link in the folder, after Meeting Notes January. */
    embed: { id: '65565', title: 'Status Dashboard', type: 'embed', parentId: '65560' },
  },
  comments: {
    onArchitecture: { id: '65901', pageId: '65538' },
    reply: { id: '65902', pageId: '65538', parentCommentId: '65901' },
    /** A second footer thread on Architecture Overview, without replies. */
    secondFooter: { id: '65903', pageId: '65538' },
    /** Inline comments on Architecture Overview: one open with a reply, one resolved. */
    inline: { id: '65904', pageId: '65538', textSelection: 'edge gateway' },
    inlineReply: { id: '65905', pageId: '65538', parentCommentId: '65904' },
    inlineResolved: { id: '65906', pageId: '65538', textSelection: 'shared event bus' },
  },
  /** Tasks: two assigned to the current user (one due, on Architecture Overview; one on On-call Schedule), one of Alice's done. */
  tasks: {
    reviewDiagram: {
      id: '65970',
      pageId: '65538',
      text: 'Review the gateway diagram',
      assignee: 'current',
      due: true,
    },
    rotateKeys: {
      id: '65971',
      pageId: '65602',
      text: 'Rotate the pager keys',
      assignee: 'current',
      due: false,
    },
    smokeDone: {
      id: '65972',
      pageId: '65540',
      text: 'Add smoke tests to the runbook',
      assignee: 'alice',
      due: false,
    },
  },
  /** Page templates: one of the site, one of ENG. */
  templates: {
    meetingNotes: { id: '2001', name: 'Meeting notes', spaceKey: undefined },
    decisionRecord: { id: '2002', name: 'Decision record', spaceKey: 'ENG' },
  },
  /** Content properties: one of Architecture Overview (65538) at version 2, one of the blog post. */
  properties: {
    review: {
      id: '65960',
      pageId: '65538',
      key: 'review-status',
      value: { state: 'in-review', reviewers: ['5c2f9b1e4d3a7f0012ab34cd'] },
    },
    /** On the blog post Release Notes: November 2026 (65547), at version 1. */
    audience: { id: '65961', pageId: '65547', key: 'audience', value: ['engineering'] },
  },
  /** Attachments of Architecture Overview (65538). */
  attachments: {
    notes: { id: 'att66001', title: 'notes.txt', mediaType: 'text/plain', versions: 2 },
    csv: { id: 'att66002', title: 'services.csv', mediaType: 'text/csv' },
    json: { id: 'att66003', title: 'config.json', mediaType: 'application/json' },
    image: { id: 'att66004', title: 'diagram.png', mediaType: 'image/png' },
    binary: { id: 'att66005', title: 'bundle.zip', mediaType: 'application/zip' },
    /** About 600 KB of text: more than any slice, to show the download is cut off. */
    log: { id: 'att66006', title: 'build.log', mediaType: 'text/plain' },
    /** An image over 1 MB. */
    largeImage: { id: 'att66007', title: 'photo.png', mediaType: 'image/png' },
  },
  /** Pages in BULK, homepage included. */
  bulkPageCount: 260,
  globex: {
    spaces: {
      handbook: { id: '196609', key: 'GLX', name: 'Globex Handbook', homepageId: '200001' },
      /** Same key as acme's ENG, another id: a space-key lookup must never cross sites. */
      eng: { id: '196610', key: 'ENG', name: 'Globex Engineering', homepageId: '200010' },
    },
    pages: {
      welcome: { id: '200002', title: 'Welcome to Globex' },
      /** Emoji (surrogate pairs) and CJK text in the title and body, for slicing and encoding tests. */
      multilingual: { id: '200011', title: '多言語ノート 🌏', spaceKey: 'ENG' },
    },
  },
} as const;
