import type { Context } from 'hono';
import { Hono } from 'hono';
import type { EmulatorEnv } from '../env.ts';
import type { EmulatorState } from '../state.ts';
import { CURRENT_USER } from '../users.ts';
import {
  type AttachmentRecord,
  type AttachmentVersion,
  currentAttachmentVersion,
  type PageRecord,
} from './content-store.ts';
import { v1Error, v2BadParameter, v2NotFound } from './errors.ts';
import { listResponse, readPaging } from './list-response.ts';
import { invalidValue, isNumericId, listParam } from './query.ts';
import { attachmentJson } from './shapes.ts';

const ATTACHMENT_SORTS = ['created-date', '-created-date', 'modified-date', '-modified-date'];
/** Atlassian refuses attachments over the site's limit; 100 MB is Cloud's default. */
const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

function visibleAttachment(c: Context<EmulatorEnv>, id: string): AttachmentRecord | undefined {
  const store = c.get('store');
  const attachment = store.attachments.get(id);
  const page = attachment && store.visiblePage(attachment.pageId, CURRENT_USER.accountId);
  return page && page.status !== 'trashed' ? attachment : undefined;
}

/** `GET /pages/{id}/attachments`: filename and mediaType filters (exact), sort, cursor, limit (default 50). */
export function getPageAttachments(c: Context<EmulatorEnv>) {
  const url = new URL(c.req.url);
  const rawLimit = c.req.query('limit');
  const paging = readPaging(c);
  if (paging instanceof Response) return paging;
  if (rawLimit === undefined) paging.limit = 50;
  const id = c.req.param('id') ?? '';
  if (!isNumericId(id)) return v2BadParameter(c, invalidValue('id', id));
  const sort = url.searchParams.get('sort');
  if (sort !== null && !ATTACHMENT_SORTS.includes(sort)) return v2BadParameter(c, invalidValue('sort', sort));
  const statuses = listParam(url, 'status');
  const badStatus = statuses?.find((s) => !['current', 'archived', 'trashed'].includes(s));
  if (badStatus) return v2BadParameter(c, invalidValue('status', badStatus));
  const store = c.get('store');
  const page = store.visiblePage(id, CURRENT_USER.accountId);
  if (page?.type !== 'page' || page.status === 'trashed') return v2NotFound(c);
  const filename = url.searchParams.get('filename');
  const mediaType = url.searchParams.get('mediaType');
  const found = [...store.attachments.values()].filter(
    (a) =>
      a.pageId === page.id &&
      (filename === null || a.title === filename) &&
      (mediaType === null || currentAttachmentVersion(a).mediaType === mediaType),
  );
  return listResponse(c, found, paging, (a) => attachmentJson(a, store));
}

/** `GET /attachments/{id}`: one attachment's metadata, with its download link. */
export function getAttachment(c: Context<EmulatorEnv>) {
  const id = c.req.param('id') ?? '';
  if (!/^(att)?\d+$/.test(id)) return v2BadParameter(c, invalidValue('id', id));
  const attachment = visibleAttachment(c, id.startsWith('att') ? id : `att${id}`);
  return attachment ? c.json(attachmentJson(attachment, c.get('store'))) : v2NotFound(c);
}

/**
 * v1 `GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download`: as Confluence Cloud, a
 * 302 to the media service (here the emulator's `/media/file/…`), whose signed URL needs no token.
 */
export function downloadAttachment(c: Context<EmulatorEnv>) {
  const attachment = visibleAttachment(c, c.req.param('attachmentId') ?? '');
  if (!attachment || attachment.pageId !== c.req.param('id')) {
    return v1Error(c, 404, 'No attachment found with the given id on this content');
  }
  const rawVersion = c.req.query('version');
  const number = rawVersion === undefined ? currentAttachmentVersion(attachment).number : Number(rawVersion);
  if (!attachment.versions.some((v) => v.number === number)) {
    return v1Error(c, 400, `Version ${rawVersion} is greater than the attachment's latest version`);
  }
  const token = Buffer.from(
    JSON.stringify({ site: c.get('site').id, attachment: attachment.id, version: number }),
  ).toString('base64url');
  return c.redirect(
    `${new URL(c.req.url).origin}/media/file/${attachment.fileId}/binary?token=${token}`,
    302,
  );
}

/** The media service's side of a download: the bytes, with the attachment's media type. */
export function mediaRoutes(state: EmulatorState) {
  const app = new Hono<EmulatorEnv>();
  app.get('/media/file/:fileId/binary', (c) => {
    let claim: { site?: string; attachment?: string; version?: number };
    try {
      claim = JSON.parse(Buffer.from(c.req.query('token') ?? '', 'base64url').toString('utf8'));
    } catch {
      return c.json({ error: 'invalid token' }, 401);
    }
    const site = state.site(claim.site ?? '');
    const attachment = site && state.content(site).attachments.get(claim.attachment ?? '');
    const version = attachment?.versions.find((v) => v.number === claim.version);
    if (!attachment || attachment.fileId !== c.req.param('fileId') || !version) {
      return c.json({ error: 'not found' }, 404);
    }
    return new Response(version.bytes, {
      headers: {
        'content-type': version.mediaType,
        'content-length': String(version.bytes.byteLength),
        'content-disposition': `attachment; filename="${encodeURIComponent(attachment.title)}"`,
      },
    });
  });
  return app;
}

/** The parts of a multipart/form-data body, read from the bytes the request log kept. */
async function formParts(c: Context<EmulatorEnv>): Promise<FormData | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) return undefined;
  try {
    return await new Response(c.get('rawBytes'), { headers: { 'content-type': type } }).formData();
  } catch {
    return undefined;
  }
}

/**
 * v1 `POST /wiki/rest/api/content/{id}/child/attachment`: multipart `file` (+ `comment`, `minorEdit`),
 * header `X-Atlassian-Token: no-check` (else 403, Confluence's XSRF check). A file whose name is
 * already attached becomes that attachment's next version.
 */
export async function uploadAttachment(c: Context<EmulatorEnv>) {
  if (c.req.header('x-atlassian-token') !== 'no-check') {
    return v1Error(c, 403, 'XSRF check failed: send the header X-Atlassian-Token: no-check');
  }
  const store = c.get('store');
  const page: PageRecord | undefined = store.visiblePage(c.req.param('id') ?? '', CURRENT_USER.accountId);
  if (page?.type !== 'page' || page.status !== 'current') {
    return v1Error(c, 404, 'No content found with the given id');
  }
  const form = await formParts(c);
  const file = form?.get('file');
  if (!form || !(file instanceof File)) return v1Error(c, 400, 'A multipart "file" part is required');
  if (!file.name) return v1Error(c, 400, 'The "file" part needs a filename');
  if (file.size > MAX_ATTACHMENT_BYTES) return v1Error(c, 413, 'The attachment is over the size limit');
  const comment = form.get('comment');
  const now = c.get('now');
  const existing = [...store.attachments.values()].find((a) => a.pageId === page.id && a.title === file.name);
  const version: AttachmentVersion = {
    number: existing ? currentAttachmentVersion(existing).number + 1 : 1,
    message: '',
    minorEdit: form.get('minorEdit') === 'true',
    authorId: CURRENT_USER.accountId,
    createdAt: now,
    bytes: new Uint8Array(await file.arrayBuffer()),
    mediaType: file.type || 'application/octet-stream',
    comment: typeof comment === 'string' ? comment : '',
  };
  let attachment = existing;
  if (attachment) attachment.versions.push(version);
  else {
    const id = `att${store.allocateId()}`;
    attachment = { id, pageId: page.id, title: file.name, fileId: crypto.randomUUID(), versions: [version] };
    store.attachments.set(id, attachment);
  }
  store.touch();
  const space = store.spaceById(page.spaceId);
  const json = attachmentJson(attachment, store);
  return c.json({
    results: [
      {
        id: attachment.id,
        type: 'attachment',
        status: 'current',
        title: attachment.title,
        version: {
          number: version.number,
          minorEdit: version.minorEdit,
          when: now,
          by: { type: 'known', accountId: CURRENT_USER.accountId },
        },
        container: { id: page.id, type: 'page', status: page.status, title: page.title },
        metadata: { mediaType: version.mediaType, comment: version.comment },
        extensions: {
          mediaType: version.mediaType,
          fileSize: version.bytes.byteLength,
          comment: version.comment,
          fileId: attachment.fileId,
        },
        ...(space && {
          space: {
            key: space.key,
            name: space.name,
            status: space.status,
            type: space.type,
            _links: {},
            _expandable: {},
          },
        }),
        _links: {
          webui: json._links.webui,
          download: json.downloadLink,
          self: `${store.baseUrl}/rest/api/content/${attachment.id}`,
        },
        _expandable: {},
      },
    ],
    size: 1,
    _links: { base: store.baseUrl, context: '/wiki' },
  });
}
