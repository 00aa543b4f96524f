/** Records → JSON exactly as REST v2 shapes them (SpaceBulk, PageBulk/PageSingle, FooterCommentModel). */
import { storageToAdf, storageToView } from './body-formats.ts';
import {
  type AttachmentRecord,
  type CommentRecord,
  type ContentStore,
  currentAttachmentVersion,
  currentVersion,
  type PageRecord,
  type SpaceRecord,
  type VersionRecord,
} from './content-store.ts';

const urlTitle = (title: string) => encodeURIComponent(title).replace(/%20/g, '+');

/** Confluence's tiny link: the id's little-endian bytes in base64, trailing zero bytes dropped. */
export function tinyId(id: string): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(id));
  return bytes
    .toString('base64')
    .replace(/=+$/, '')
    .replace(/A+$/, '')
    .replace(/\//g, '-')
    .replace(/\+/g, '_');
}

export function versionJson(version: VersionRecord) {
  return {
    number: version.number,
    message: version.message,
    minorEdit: version.minorEdit,
    authorId: version.authorId,
    createdAt: version.createdAt,
  };
}

export function pageWebui(page: PageRecord, space: SpaceRecord | undefined): string {
  const key = space?.key ?? '';
  if (page.type === 'blogpost') {
    const [year, month, day] = page.createdAt.slice(0, 10).split('-');
    return `/spaces/${key}/blog/${year}/${month}/${day}/${page.id}/${urlTitle(page.title)}`;
  }
  if (page.status === 'draft') return `/spaces/${key}/pages/edit-v2/${page.id}`;
  return `/spaces/${key}/pages/${page.id}/${urlTitle(page.title)}`;
}

export interface SpaceShapeOptions {
  descriptionFormat?: 'plain' | 'view';
  includeIcon?: boolean;
}

export function spaceJson(space: SpaceRecord, options: SpaceShapeOptions = {}) {
  return {
    id: space.id,
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    authorId: space.authorId,
    createdAt: space.createdAt,
    homepageId: space.homepageId,
    currentActiveAlias: space.key,
    ...(options.descriptionFormat && {
      description: {
        [options.descriptionFormat]: {
          representation: options.descriptionFormat,
          value: options.descriptionFormat === 'view' ? `<p>${space.description}</p>` : space.description,
        },
      },
    }),
    ...(options.includeIcon && {
      icon: {
        path: `/wiki/aa-avatar/${space.id}`,
        ...(space.type === 'global' && { apiDownloadLink: `/wiki/api/v2/spaces/${space.id}/icon` }),
      },
    }),
    _links: { webui: `/spaces/${space.key}` },
  };
}

export type BodyFormat =
  | 'storage'
  | 'atlas_doc_format'
  | 'view'
  | 'export_view'
  | 'anonymous_export_view'
  | 'styled_view'
  | 'editor';

/** `body` keyed by the one representation asked for; `{}` when none was, as Confluence answers. */
export function bodyJson(
  storage: string,
  format: BodyFormat | undefined,
  store: ContentStore,
  spaceKey: string,
) {
  if (!format) return {};
  let value: string;
  if (format === 'storage' || format === 'editor') value = storage;
  else if (format === 'atlas_doc_format') value = storageToAdf(storage);
  else value = storageToView(storage, store, spaceKey);
  return { [format]: { representation: format, value } };
}

export interface PageShapeOptions {
  bodyFormat?: BodyFormat;
  includeVersion?: boolean;
  includeLabels?: boolean;
  includeVersions?: boolean;
  /** PageSingle (GET/PUT/POST of one page) adds `_links.base`; PageBulk (lists) does not. */
  single?: boolean;
  /** `GET /pages/{id}?version=N`: that version's metadata. */
  version?: VersionRecord;
}

const optionalList = <T>(results: T[], self: string) => ({
  results,
  meta: { hasMore: false },
  _links: { self },
});

export function pageJson(page: PageRecord, store: ContentStore, options: PageShapeOptions = {}) {
  const space = store.spaceById(page.spaceId);
  const parent = page.parentId ? store.pages.get(page.parentId) : undefined;
  const version = options.version ?? currentVersion(page);
  const json: Record<string, unknown> = {
    id: page.id,
    status: options.version && options.version !== currentVersion(page) ? 'historical' : page.status,
    title: page.title,
    spaceId: page.spaceId,
    // Top-level pages carry no parent: the fields are left out rather than null (the spec says string).
    ...(parent && { parentId: parent.id, parentType: parent.type }),
    position: page.position ?? null,
    authorId: page.authorId,
    ownerId: page.ownerId,
    lastOwnerId: null,
    createdAt: page.createdAt,
    ...(page.subtype && { subtype: page.subtype }),
  };
  if (options.includeVersion !== false) json.version = versionJson(version);
  json.body = bodyJson(store.bodyAt(page, version), options.bodyFormat, store, space?.key ?? '');
  if (options.includeLabels) {
    json.labels = optionalList(
      page.labels.map((l) => ({ id: l.id, name: l.name, prefix: l.prefix })),
      `/wiki/api/v2/pages/${page.id}/labels`,
    );
  }
  if (options.includeVersions) {
    json.versions = optionalList(
      [...page.versions].reverse().map(versionJson),
      `/wiki/api/v2/pages/${page.id}/versions`,
    );
  }
  json._links = {
    editui: `/pages/resumedraft.action?draftId=${page.id}`,
    webui: pageWebui(page, space),
    edituiv2: `/spaces/${space?.key ?? ''}/pages/edit-v2/${page.id}`,
    tinyui: `/x/${tinyId(page.id)}`,
    ...(options.single && { base: store.baseUrl }),
  };
  return json;
}

/** A blog post (BlogPostSingle / BlogPostBulk): a page's fields without a place in the tree. */
export function blogPostJson(post: PageRecord, store: ContentStore, options: PageShapeOptions = {}) {
  const {
    parentId: _parentId,
    parentType: _parentType,
    position: _position,
    ownerId: _ownerId,
    lastOwnerId: _lastOwnerId,
    ...json
  } = pageJson(post, store, options);
  return json;
}

/** A footer or inline comment (FooterCommentModel / InlineCommentModel); body only when asked for. */
export function commentJson(
  comment: CommentRecord,
  store: ContentStore,
  bodyFormat: 'storage' | 'atlas_doc_format' | undefined = 'storage',
) {
  const page = store.pages.get(comment.pageId);
  const space = page && store.spaceById(page.spaceId);
  const pageUrl = page ? pageWebui(page, space) : '';
  return {
    id: comment.id,
    status: 'current',
    title: `Re: ${page?.title ?? ''}`,
    ...(page?.type === 'blogpost' ? { blogPostId: comment.pageId } : { pageId: comment.pageId }),
    ...(comment.parentCommentId && { parentCommentId: comment.parentCommentId }),
    version: versionJson(comment.version),
    body: bodyFormat
      ? {
          [bodyFormat]: {
            representation: bodyFormat,
            value: bodyFormat === 'storage' ? comment.body : storageToAdf(comment.body),
          },
        }
      : {},
    ...(comment.kind === 'inline' && {
      resolutionStatus: comment.resolutionStatus ?? 'open',
      properties: {
        inlineMarkerRef: `marker-${comment.id}`,
        inlineOriginalSelection: comment.textSelection ?? '',
      },
    }),
    _links: {
      webui: `${pageUrl}?focusedCommentId=${comment.id}#comment-${comment.id}`,
      base: store.baseUrl,
    },
  };
}

/** A page-tree node as `/direct-children` (ChildrenResponse) and `/descendants` (DescendantsResponse) list it. */
export function treeNodeJson(node: PageRecord, extra: { depth?: number; parentId?: string } = {}) {
  return {
    id: node.id,
    status: node.status,
    title: node.title,
    type: node.type,
    ...(extra.depth === undefined
      ? { spaceId: node.spaceId }
      : { parentId: extra.parentId, depth: extra.depth }),
    childPosition: node.position ?? null,
  };
}

/** An attachment as REST v2 shapes it (Attachment). */
export function attachmentJson(attachment: AttachmentRecord, store: ContentStore) {
  const version = currentAttachmentVersion(attachment);
  const page = store.pages.get(attachment.pageId);
  const space = page && store.spaceById(page.spaceId);
  const download = `/download/attachments/${attachment.pageId}/${encodeURIComponent(attachment.title)}?version=${version.number}&modificationDate=${Date.parse(version.createdAt)}&api=v2`;
  const webui = `/pages/viewpageattachments.action?pageId=${attachment.pageId}&preview=${encodeURIComponent(`/${attachment.pageId}/${attachment.id}/${attachment.title}`)}`;
  return {
    id: attachment.id,
    status: 'current',
    title: attachment.title,
    createdAt: version.createdAt,
    pageId: attachment.pageId,
    mediaType: version.mediaType,
    mediaTypeDescription: version.mediaType,
    comment: version.comment,
    fileId: attachment.fileId,
    fileSize: version.bytes.byteLength,
    webuiLink: webui,
    downloadLink: download,
    version: versionJson(version),
    _links: { webui, download, ...(space && { base: store.baseUrl }) },
  };
}
