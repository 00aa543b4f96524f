import { describe, expect, it } from 'vitest';
import { type PageVersions, pageVersionRecorder } from '../../src/audit/page-versions.ts';

describe('the page versions an audit record keeps', () => {
  it('keeps the first version read and the last one written, per page', () => {
    const pages = new Map<string, PageVersions>();
    const observe = pageVersionRecorder(pages);
    observe('GET', { id: '65538', spaceId: '98305', version: { number: 4 } });
    observe('GET', { id: '65538', spaceId: '98305', version: { number: 5 } });
    observe('PUT', { id: '65538', spaceId: '98305', version: { number: 6 } });
    observe('PUT', { id: '65538', spaceId: '98305', version: { number: 7 } });
    expect(Object.fromEntries(pages)).toEqual({ '65538': { spaceId: '98305', before: 4, after: 7 } });
  });

  it('notes a page only written (no read before) with no before version', () => {
    const pages = new Map<string, PageVersions>();
    pageVersionRecorder(pages)('POST', { id: '70001', spaceId: '98305', version: { number: 1 } });
    expect(Object.fromEntries(pages)).toEqual({ '70001': { spaceId: '98305', after: 1 } });
  });

  it('passes over answers that are not a page: lists, spaces, comments without a space, nothing', () => {
    const pages = new Map<string, PageVersions>();
    const observe = pageVersionRecorder(pages);
    for (const answer of [
      undefined,
      null,
      { results: [{ id: '1', spaceId: '2', version: { number: 1 } }] },
      { id: '98305', key: 'ENG' },
      { id: '9001', pageId: '65538', version: { number: 1 } },
      { id: 65538, spaceId: '98305', version: { number: 1 } },
    ]) {
      observe('GET', answer);
    }
    expect(pages.size).toBe(0);
  });
});
