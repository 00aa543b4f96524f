import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, confluenceRequests, expectNoSpecViolations, freshAcme, SEED } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  id = await freshAcme();
});
afterEach(expectNoSpecViolations);

const P = SEED.pages;
const A = SEED.attachments;

async function downloads() {
  return (await confluenceRequests()).filter((r) => r.path.endsWith('/download'));
}

describe('get_confluence_attachments', () => {
  it('lists the files of a page with size, type, version and a download address, paged to the end', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const { status, body } = await callTool(id, 'get_confluence_attachments', {
        page_id: P.architecture,
        limit: 3,
        ...(cursor && { cursor }),
      });
      expect(status).toBe(200);
      seen.push(...body.attachments.map((a: { id: string }) => a.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(Object.values(A).sort());
    const { body } = await callTool(id, 'get_confluence_attachments', {
      page_id: P.architecture,
      filename: 'notes.txt',
    });
    expect(body.attachments).toEqual([
      {
        id: A.notes,
        title: 'notes.txt',
        media_type: 'text/plain',
        file_size: 69,
        version: 2,
        created_at: expect.any(String),
        comment: 'Updated',
        page_id: P.architecture,
        download_url: expect.stringMatching(
          /^https:\/\/acme\.atlassian\.net\/wiki\/download\/attachments\/65538\/notes\.txt\?/,
        ),
      },
    ]);
  });

  it('filters by media type', async () => {
    const { body } = await callTool(id, 'get_confluence_attachments', {
      page_id: P.architecture,
      media_type: 'image/png',
    });
    expect(body.attachments.map((a: { title: string }) => a.title).sort()).toEqual([
      'diagram.png',
      'photo.png',
    ]);
  });
});

describe('get_confluence_attachment_content', () => {
  it('reads text, CSV and JSON files as text', async () => {
    const notes = await callTool(id, 'get_confluence_attachment_content', { attachment_id: A.notes });
    expect(notes.body).toMatchObject({
      success: true,
      kind: 'text',
      content: 'Meeting notes: move billing-api to the new gateway.\nOwner: Payments.\n',
      total_chars: 69,
      truncated: false,
      attachment: { id: A.notes, title: 'notes.txt', version: 2 },
    });
    const csv = await callTool(id, 'get_confluence_attachment_content', { attachment_id: A.csv });
    expect(csv.body.content.split('\n')[0]).toBe('service,owner,language');
    const json = await callTool(id, 'get_confluence_attachment_content', { attachment_id: '66003' });
    expect(JSON.parse(json.body.content)).toEqual({ gateway: { timeoutMs: 5000, retries: 2 } });
  });

  it('slices a long text file without downloading it whole, and reads on from next_offset', async () => {
    const first = await callTool(id, 'get_confluence_attachment_content', {
      attachment_id: A.log,
      max_chars: 1000,
    });
    expect(first.body).toMatchObject({
      kind: 'text',
      offset: 0,
      total_chars: null,
      truncated: true,
      next_offset: 1000,
    });
    expect(first.body.content).toHaveLength(1000);
    expect(first.body.content.startsWith('2026-01-21T10:00:00Z step 0: ok\n')).toBe(true);
    const second = await callTool(id, 'get_confluence_attachment_content', {
      attachment_id: A.log,
      max_chars: 1000,
      offset: 1000,
    });
    expect(second.body.offset).toBe(1000);
    expect(`${first.body.content}${second.body.content}`.split('\n')[30]).toBe(
      '2026-01-21T10:00:30Z step 30: ok',
    );
    // The token never goes to the media service the download redirects to.
    const [download] = await downloads();
    expect(download?.status).toBe(302);
    const media = (
      await emulatorControl<{ requests: { path: string; headers: Record<string, string> }[] }>(
        'GET',
        '/requests?path_prefix=/media/',
      )
    ).requests;
    expect(media.length).toBe(2);
    for (const request of media) expect(request.headers.authorization).toBeUndefined();
  });

  it('returns an image up to 1 MB as base64 with its media type', async () => {
    const { body } = await callTool(id, 'get_confluence_attachment_content', { attachment_id: A.image });
    expect(body.kind).toBe('image');
    expect(body.image.media_type).toBe('image/png');
    const bytes = Uint8Array.from(atob(body.image.data_base64), (c) => c.charCodeAt(0));
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('describes a larger image and a binary file without reading them as text', async () => {
    const large = await callTool(id, 'get_confluence_attachment_content', { attachment_id: A.largeImage });
    expect(large.body).toMatchObject({ kind: 'unreadable', attachment: { title: 'photo.png' } });
    expect(large.body.message).toMatch(/1 MB/);
    const zip = await callTool(id, 'get_confluence_attachment_content', { attachment_id: A.binary });
    expect(zip.body).toMatchObject({ kind: 'unreadable', attachment: { media_type: 'application/zip' } });
    expect(zip.body.message).toMatch(/cannot be read as text/);
    expect(await downloads()).toEqual([]);
  });

  it('answers not_found for an attachment that does not exist', async () => {
    const { status, body } = await callTool(id, 'get_confluence_attachment_content', {
      attachment_id: 'att999999',
    });
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/get_confluence_attachments/);
  });
});

describe('upload_confluence_attachment', () => {
  it('attaches a text file with the XSRF header, as multipart, and it can be read back', async () => {
    const { status, body } = await callTool(id, 'upload_confluence_attachment', {
      page_id: P.architecture,
      filename: 'decisions.md',
      content: '# Decisions\n\n- Use Workers.\n',
      media_type: 'text/markdown',
      comment: 'First draft',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      attachment: {
        title: 'decisions.md',
        version: 1,
        media_type: 'text/markdown',
        file_size: 28,
        page_id: P.architecture,
      },
      message: `Attached 'decisions.md' on page ${P.architecture}`,
    });
    const [upload] = (await confluenceRequests()).filter((r) => r.method === 'POST');
    expect(upload?.headers['x-atlassian-token']).toBe('no-check');
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const read = await callTool(id, 'get_confluence_attachment_content', {
      attachment_id: body.attachment.id,
    });
    expect(read.body.content).toBe('# Decisions\n\n- Use Workers.\n');
  });

  it('uploads a file of the same name as a new version of that attachment', async () => {
    const { body } = await callTool(id, 'upload_confluence_attachment', {
      page_id: P.architecture,
      filename: 'notes.txt',
      content: 'Third version.\n',
    });
    expect(body.attachment).toMatchObject({ id: A.notes, version: 3 });
    expect(body.message).toBe(`Uploaded version 3 of 'notes.txt' on page ${P.architecture}`);
  });

  it('uploads binary content from base64', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const { body } = await callTool(id, 'upload_confluence_attachment', {
      page_id: P.architecture,
      filename: 'dot.png',
      content_base64: png,
      media_type: 'image/png',
    });
    expect(body.attachment.file_size).toBe(70);
    const read = await callTool(id, 'get_confluence_attachment_content', {
      attachment_id: body.attachment.id,
    });
    expect(read.body.image).toEqual({ media_type: 'image/png', data_base64: png });
  });

  it('refuses a file over 10 MB, both bodies at once, or bad base64, before calling Confluence', async () => {
    const big = await callTool(id, 'upload_confluence_attachment', {
      page_id: P.architecture,
      filename: 'big.bin',
      content_base64: 'A'.repeat(14_000_000),
    });
    expect(big.status).toBe(400);
    const both = await callTool(id, 'upload_confluence_attachment', {
      page_id: P.architecture,
      filename: 'x.txt',
      content: 'x',
      content_base64: 'eA==',
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/exactly one of content/);
    const bad = await callTool(id, 'upload_confluence_attachment', {
      page_id: P.architecture,
      filename: 'x.bin',
      content_base64: 'abcde',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/base64/);
    expect(await confluenceRequests()).toEqual([]);
  });

  it('answers upstream_gone when Atlassian has retired the upload endpoint', async () => {
    await emulatorControl('POST', '/faults', {
      match: { method: 'POST', path_contains: '/child/attachment' },
      status: 410,
      body: { statusCode: 410, message: 'GoneException: This deprecated endpoint has been removed' },
    });
    const { status, body } = await callTool(id, 'upload_confluence_attachment', {
      page_id: P.architecture,
      filename: 'x.txt',
      content: 'x',
    });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'upstream_gone', retryable: false });
    expect(body.error.message).toMatch(/removed/);
  });
});
