import { describe, expect, it } from 'vitest';
import type { ConfluenceApi } from '../../src/confluence/api.ts';
import { ApiError } from '../../src/lib/errors.ts';
import { nextVersion } from '../../src/tools/content-update.ts';
import { versionConflict, writeNextVersion } from '../../src/tools/version-conflict.ts';

describe('a write that loses the race for the next version', () => {
  it('answers version_conflict naming the version that won, when it is known', () => {
    const error = versionConflict('changed', {
      number: 7,
      authorId: 'u1',
      createdAt: '2026-01-02T03:04:05Z',
    });
    expect(error.code).toBe('version_conflict');
    expect(error.details).toEqual({
      current_version: { number: 7, author_id: 'u1', created_at: '2026-01-02T03:04:05Z' },
    });
    expect(versionConflict('changed', { number: 7 }).details).toEqual({
      current_version: { number: 7, author_id: null, created_at: null },
    });
    expect(versionConflict('changed', undefined).details).toBeUndefined();
  });

  it("reports the winner instead of Confluence's version_conflict, and passes other errors on", async () => {
    const winner = new ApiError('version_conflict', 'now at version 8');
    const refused = () => Promise.reject(new ApiError('version_conflict', 'Version must be incremented'));
    await expect(writeNextVersion(refused, async () => winner)).rejects.toBe(winner);

    const missing = new ApiError('not_found', 'gone');
    let reread = false;
    const report = async () => {
      reread = true;
      return winner;
    };
    await expect(writeNextVersion(() => Promise.reject(missing), report)).rejects.toBe(missing);
    expect(reread).toBe(false);
    await expect(writeNextVersion(async () => 'written', report)).resolves.toBe('written');
  });
});

describe("an update's next version", () => {
  const confluence = { webUrl: () => 'https://acme.atlassian.net/wiki/' } as unknown as ConfluenceApi;
  const current = { title: 'Runbook', status: 'current', body: { storage: { value: '<p>Hello</p>' } } };
  const args = { body_format: 'markdown' as const, allow_removal: false, status: 'current' };

  it('is nothing to write when the Markdown, title and status are as read', async () => {
    expect(await nextVersion({ ...args, body: 'Hello' }, current, confluence)).toBeUndefined();
    expect(await nextVersion({ ...args, title: 'Runbook' }, current, confluence)).toBeUndefined();
  });

  it('keeps the stored body when only the title or status changes', async () => {
    expect(await nextVersion({ ...args, title: 'Runbook 2' }, current, confluence)).toEqual({
      status: 'current',
      title: 'Runbook 2',
      storage: '<p>Hello</p>',
    });
    expect(await nextVersion({ ...args, body: 'Hello', status: 'draft' }, current, confluence)).toEqual({
      status: 'draft',
      title: 'Runbook',
      storage: '<p>Hello</p>',
    });
  });

  it('writes a storage body as sent, even when it equals the stored one, with the version message', async () => {
    const sent = { ...args, body_format: 'storage' as const, body: '<p>Hello</p>', version_message: 'why' };
    expect(await nextVersion(sent, current, confluence)).toEqual({
      status: 'current',
      title: 'Runbook',
      storage: '<p>Hello</p>',
      message: 'why',
    });
  });
});
