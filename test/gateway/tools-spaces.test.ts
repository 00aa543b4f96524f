import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emulatorControl } from './support/http.ts';
import { callTool, confluenceRequests, connectAcme, expectNoSpecViolations } from './support/tools.ts';

let id: string;
beforeEach(async () => {
  await emulatorControl('POST', '/reset');
  id = await connectAcme();
});
afterEach(expectNoSpecViolations);

describe('get_confluence_spaces', () => {
  it('lists the spaces with the fields Potpie agents read', async () => {
    const { status, body } = await callTool(id, 'get_confluence_spaces', {});
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, has_more: false, total: 6 });
    expect(body.next_cursor).toBeUndefined();
    expect(body.spaces.find((s: { key: string }) => s.key === 'ENG')).toEqual({
      id: '98305',
      key: 'ENG',
      name: 'Engineering',
      type: 'global',
      status: 'current',
      homepage_id: '65537',
      description: 'Engineering: documentation and decisions.',
    });
  });

  it('filters by space_type and leaves it out for "all"', async () => {
    const personal = await callTool(id, 'get_confluence_spaces', { space_type: 'personal' });
    expect(personal.body.spaces.map((s: { type: string }) => s.type)).toEqual(['personal']);
    await callTool(id, 'get_confluence_spaces', { space_type: 'all' });
    const [first, second] = await confluenceRequests();
    expect(first?.query.type).toBe('personal');
    expect(second?.query.type).toBeUndefined();
  });

  it('pages with cursor and next_cursor until has_more is false', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let round = 0; round < 10; round++) {
      const { status, body } = await callTool(id, 'get_confluence_spaces', { limit: 2, cursor });
      expect(status).toBe(200);
      expect(body.total).toBe(body.spaces.length);
      seen.push(...body.spaces.map((s: { id: string }) => s.id));
      if (!body.has_more) {
        expect(body.next_cursor).toBeUndefined();
        break;
      }
      expect(typeof body.next_cursor).toBe('string');
      cursor = body.next_cursor;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });
});
