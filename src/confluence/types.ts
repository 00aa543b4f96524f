/**
 * The fields of Atlassian's answers that the operations (api.ts) and the tools read: REST v2 under
 * `/wiki/api/v2`, and v1 where v2 has no equivalent (CQL search, users, label writes).
 */
import type { Links } from './paging.ts';

export interface Version {
  number: number;
  message?: string;
  createdAt?: string;
  authorId?: string;
}

export interface Space {
  id: string;
  key: string;
  name: string;
  type: string;
  status: string;
  homepageId?: string | null;
  description?: { plain?: { value?: string } } | null;
}

export interface Page {
  id: string;
  status: string;
  title: string;
  spaceId: string;
  parentId?: string | null;
  parentType?: string | null;
  position?: number | null;
  authorId: string;
  createdAt: string;
  /** `live` for a live doc. */
  subtype?: string;
  version?: Version;
  body?: Record<string, { value?: string } | undefined>;
  labels?: { results?: { id: string; name: string; prefix: string }[] };
  _links?: Links;
}

export interface Comment {
  id: string;
  status: string;
  title: string;
  pageId?: string;
  blogPostId?: string;
  parentCommentId?: string;
  authorId?: string;
  createdAt?: string;
  version?: Version;
  _links?: Links;
}

/** A node of a page tree: `/direct-children` (ChildrenResponse) or `/descendants` (DescendantsResponse). */
export interface TreeNode {
  id: string;
  status?: string;
  title?: string;
  /** page, folder, whiteboard, database or embed. */
  type?: string;
  parentId?: string;
  depth?: number;
  childPosition?: number | null;
}

export interface Ancestor {
  id: string;
  type?: string;
}

/** A footer or inline comment as the v2 lists return it. */
export interface CommentItem extends Comment {
  body?: { storage?: { value?: string } };
  resolutionStatus?: string;
  properties?: { inlineOriginalSelection?: string };
}

export interface Attachment {
  id: string;
  status?: string;
  title: string;
  createdAt?: string;
  pageId?: string;
  mediaType?: string;
  comment?: string;
  fileSize?: number;
  downloadLink?: string;
  version?: Version;
  _links?: Links & { download?: string };
}

/** A v2 user (`/users-bulk`). */
export interface User {
  accountId: string;
  accountType?: string;
  displayName?: string;
  publicName?: string;
  email?: string;
}

/** A v1 user (`/user/current`, `/search/user`): `email` may be null when hidden. */
export interface V1User {
  accountId?: string | null;
  accountType?: string;
  displayName?: string | null;
  publicName?: string;
  email?: string | null;
}

export interface Label {
  id: string;
  name: string;
  prefix: string;
}

export interface SearchResult {
  content?: {
    id: string;
    type: string;
    status: string;
    title: string;
    space?: { key?: string; name?: string };
    version?: { number?: number };
  };
  space?: { key?: string; name?: string };
  title: string;
  excerpt: string;
  url: string;
  lastModified: string;
  entityType: string;
  resultGlobalContainer?: { title?: string; displayUrl?: string };
}

export interface List<T> {
  results: T[];
  _links?: Links;
}

export interface SearchAnswer extends List<SearchResult> {
  totalSize?: number;
  limit?: number;
}

export type StorageBody = { representation: 'storage'; value: string };

/** The body of a v2 PUT of a page or a blog post: its next version, whole. */
export interface ContentUpdate {
  id: string;
  status: string;
  title: string;
  body: StorageBody;
  version: { number: number; message?: string };
}

/** Where a top-level inline comment anchors: Confluence requires the count of matches to be right. */
export interface InlineCommentProperties {
  textSelection: string;
  textSelectionMatchCount: number;
  textSelectionMatchIndex: number;
}

/** A folder, whiteboard, database or smart link as its own read returns it (FolderSingle and the like). */
export interface ContainerNode {
  id: string;
  type?: string;
  status?: string;
  title?: string;
  spaceId?: string;
  parentId?: string;
  parentType?: string;
  position?: number | null;
  authorId?: string;
  ownerId?: string;
  createdAt?: string;
  embedUrl?: string;
  version?: Version;
  _links?: Links;
}
