import type { Site } from '../sites.ts';

export interface SpaceRecord {
  id: string;
  key: string;
  name: string;
  type: 'global' | 'personal';
  status: 'current' | 'archived';
  authorId: string;
  createdAt: string;
  homepageId: string;
  description: string;
}

export interface VersionRecord {
  number: number;
  message: string;
  minorEdit: boolean;
  authorId: string;
  createdAt: string;
  /** The storage body this version saved (pages keep every version's body, for history and diffs). */
  body?: string;
}

export interface LabelRecord {
  id: string;
  name: string;
  prefix: 'global' | 'my' | 'team';
}

/** Content types that sit in a page tree without being pages (REST v2 lists them as children). */
export type TreeNodeType = 'folder' | 'whiteboard' | 'database' | 'embed';

/**
 * A page, blog post, or another node of the page tree (folder, whiteboard, database). `body` is the
 * current body; each version keeps the body it saved.
 */
export interface PageRecord {
  id: string;
  type: 'page' | 'blogpost' | TreeNodeType;
  spaceId: string;
  title: string;
  status: 'current' | 'draft' | 'archived' | 'trashed';
  parentId?: string;
  position?: number;
  authorId: string;
  ownerId: string;
  createdAt: string;
  /** Storage format (XHTML). */
  body: string;
  versions: VersionRecord[];
  labels: LabelRecord[];
  /** Accounts allowed to view; absent = everyone who can see the space. */
  viewers?: string[];
  /** Smart links in the tree: the address they embed. */
  embedUrl?: string;
  /** A live doc: `live`. */
  subtype?: 'live';
}

export interface CommentRecord {
  id: string;
  kind: 'footer' | 'inline';
  pageId: string;
  parentCommentId?: string;
  body: string;
  authorId: string;
  createdAt: string;
  version: VersionRecord;
  /** Inline comments: the text they are anchored to, and whether the thread is resolved. */
  textSelection?: string;
  resolutionStatus?: 'open' | 'reopened' | 'resolved' | 'dangling';
}

export interface AttachmentVersion extends VersionRecord {
  bytes: Uint8Array;
  mediaType: string;
  comment: string;
}

/** A file attached to a page; each upload under the same name adds a version. */
export interface AttachmentRecord {
  id: string;
  pageId: string;
  title: string;
  fileId: string;
  versions: AttachmentVersion[];
}

export function currentAttachmentVersion(attachment: AttachmentRecord): AttachmentVersion {
  return attachment.versions[attachment.versions.length - 1] as AttachmentVersion;
}

export function currentVersion(page: PageRecord): VersionRecord {
  return page.versions[page.versions.length - 1] as VersionRecord;
}

/** A content property: a JSON value under a key, versioned, on one page. */
export interface PropertyRecord {
  id: string;
  contentId: string;
  key: string;
  value: unknown;
  version: VersionRecord;
}

/** A task (a checkbox item in a page's or blog post's body), with its assignee and due date. */
export interface TaskRecord {
  id: string;
  localId: string;
  contentId: string;
  /** Storage format of the task's text. */
  body: string;
  status: 'complete' | 'incomplete';
  createdBy: string;
  assignedTo?: string;
  completedBy?: string;
  createdAt: string;
  updatedAt: string;
  dueAt?: string;
  completedAt?: string;
}

/** A page template: a space's (with its key) or the site's (no key). */
export interface TemplateRecord {
  id: string;
  name: string;
  description: string;
  spaceKey?: string;
  /** Storage format. */
  body: string;
  labels: LabelRecord[];
}

/** Who a page's read or update is restricted to; both empty = no restriction. */
export interface RestrictionRecord {
  users: string[];
  groups: string[];
}

/** One Confluence site's content, with the permission rule every read goes through. */
export class ContentStore {
  readonly site: Site;
  readonly spaces: SpaceRecord[] = [];
  readonly pages = new Map<string, PageRecord>();
  readonly comments = new Map<string, CommentRecord>();
  readonly attachments = new Map<string, AttachmentRecord>();
  readonly properties = new Map<string, PropertyRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly templates = new Map<string, TemplateRecord>();
  /** Page id → its read and update restrictions (absent = none). */
  readonly restrictions = new Map<string, { read: RestrictionRecord; update: RestrictionRecord }>();
  #nextId: number;
  /** Bumped by every write, so derived views (the search index) know when to rebuild. */
  revision = 0;

  constructor(site: Site, firstFreeId: number) {
    this.site = site;
    this.#nextId = firstFreeId;
  }

  /** Content ids are one sequence per site (pages, blog posts and comments share it). */
  allocateId(): string {
    return String(this.#nextId++);
  }

  touch(): void {
    this.revision++;
  }

  get baseUrl(): string {
    return `${this.site.url}/wiki`;
  }

  spaceById(id: string): SpaceRecord | undefined {
    return this.spaces.find((s) => s.id === id);
  }

  spaceByKey(key: string): SpaceRecord | undefined {
    return this.spaces.find((s) => s.key.toLowerCase() === key.toLowerCase());
  }

  canView(page: PageRecord, accountId: string): boolean {
    return !page.viewers || page.viewers.includes(accountId);
  }

  /** A page the account may see; missing and forbidden look the same (404), as in Confluence. */
  visiblePage(id: string, accountId: string): PageRecord | undefined {
    const page = this.pages.get(id);
    return page && this.canView(page, accountId) ? page : undefined;
  }

  visiblePages(accountId: string): PageRecord[] {
    return [...this.pages.values()].filter((p) => this.canView(p, accountId));
  }

  titleTaken(spaceId: string, title: string, exceptId?: string): boolean {
    for (const page of this.pages.values()) {
      if (
        page.id !== exceptId &&
        page.spaceId === spaceId &&
        page.type === 'page' &&
        page.status === 'current' &&
        page.title.toLowerCase() === title.toLowerCase()
      ) {
        return true;
      }
    }
    return false;
  }

  /** The body a version saved; versions seeded without one show the current body. */
  bodyAt(page: PageRecord, version: VersionRecord): string {
    return version.body ?? page.body;
  }

  /** A tree node's visible children (pages, folders, whiteboards, databases), in tree order. */
  childrenOf(parentId: string, accountId: string): PageRecord[] {
    return this.visiblePages(accountId)
      .filter((p) => p.parentId === parentId && p.type !== 'blogpost' && isInTree(p))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || Number(a.id) - Number(b.id));
  }

  nextPosition(parentId: string | undefined): number {
    let max = -1;
    for (const page of this.pages.values()) {
      if (page.parentId === parentId && page.position !== undefined) max = Math.max(max, page.position);
    }
    return max + 1;
  }
}

/** Content that shows in a page tree: published or archived (not drafts, not trashed). */
export function isInTree(page: PageRecord): boolean {
  return page.status === 'current' || page.status === 'archived';
}
