import { describe, expect, it } from 'vitest';
import { quotaRefusal, readQuotaHeaders } from '../../src/quota/headers.ts';
import { chargedPoints, predictPoints } from '../../src/quota/pricing.ts';

const page = { method: 'GET', path: '/wiki/api/v2/pages/65538', query: { 'body-format': 'storage' } };
const spacePages = (limit?: number) => ({
  method: 'GET',
  path: '/wiki/api/v2/spaces/98307/pages',
  query: limit === undefined ? {} : { limit },
});

describe('predicting a request’s points before it is sent', () => {
  it('prices one page at 2 and a write at 1', () => {
    expect(predictPoints(page)).toBe(2);
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect(predictPoints({ method, path: '/wiki/api/v2/pages/1', query: { limit: 250 } })).toBe(1);
    }
  });

  it('prices a list at its full limit, Confluence’s 25 when none is sent', () => {
    expect(predictPoints(spacePages(250))).toBe(251);
    expect(predictPoints(spacePages(10))).toBe(11);
    expect(predictPoints(spacePages())).toBe(26);
    expect(
      predictPoints({ method: 'GET', path: '/wiki/rest/api/search', query: { cql: 'x', limit: 50 } }),
    ).toBe(51);
    expect(predictPoints({ method: 'GET', path: '/wiki/api/v2/pages/1/footer-comments' })).toBe(26);
  });

  it('prices users at 2 each', () => {
    expect(predictPoints({ method: 'GET', path: '/wiki/rest/api/user/current' })).toBe(3);
    expect(predictPoints({ method: 'GET', path: '/wiki/rest/api/search/user', query: { limit: 10 } })).toBe(
      21,
    );
  });

  it('prices a list of named objects at most one per name', () => {
    expect(
      predictPoints({ method: 'GET', path: '/wiki/api/v2/spaces', query: { keys: 'ENG', limit: 250 } }),
    ).toBe(2);
    expect(
      predictPoints({ method: 'GET', path: '/wiki/api/v2/pages', query: { id: '1,2,3', limit: 250 } }),
    ).toBe(4);
  });
});

describe('charging a request by what came back', () => {
  it('counts the objects of a list answer and one for any other', () => {
    expect(chargedPoints(spacePages(250), 200, { results: new Array(7).fill({}) })).toBe(8);
    expect(chargedPoints(page, 200, { id: '65538' })).toBe(2);
    expect(
      chargedPoints({ method: 'GET', path: '/wiki/rest/api/search/user' }, 200, { results: [{}, {}] }),
    ).toBe(5);
    // A download answers with a redirect and no JSON: one object.
    expect(
      chargedPoints(
        { method: 'GET', path: '/wiki/rest/api/content/1/child/attachment/2/download' },
        302,
        undefined,
      ),
    ).toBe(2);
  });

  it('charges 1 for a write and for a failure', () => {
    expect(chargedPoints({ method: 'PUT', path: '/wiki/api/v2/pages/1' }, 200, { id: '1' })).toBe(1);
    expect(chargedPoints(page, 404, undefined)).toBe(1);
  });
});

describe('reading Atlassian’s rate-limit headers', () => {
  it('reads the pool, remaining points and reset, in any order and among other entries', () => {
    const headers = new Headers({
      'RateLimit-Policy': '"burst";q=100;w=1, "global-app-quota";w=3600;q=65000',
      RateLimit: '"global-app-quota";t=600;r=11000',
    });
    expect(readQuotaHeaders(headers)).toEqual({
      tier: 'global',
      size: 65000,
      windowSeconds: 3600,
      remaining: 11000,
      resetSeconds: 600,
    });
  });

  it('reads the Beta- headers the same', () => {
    const headers = new Headers({
      'Beta-RateLimit-Policy': '"tenant-app-quota";q=100000;w=3600',
      'Beta-RateLimit': '"tenant-app-quota";t=12',
    });
    expect(readQuotaHeaders(headers)).toEqual({
      tier: 'tenant',
      size: 100000,
      windowSeconds: 3600,
      resetSeconds: 12,
    });
  });

  it('finds nothing in an answer without quota headers, or with malformed values', () => {
    expect(readQuotaHeaders(new Headers({ 'content-type': 'application/json' }))).toBeUndefined();
    expect(readQuotaHeaders(new Headers({ RateLimit: '"global-app-quota";r=abc;t=-5' }))).toEqual({
      tier: 'global',
    });
  });

  it('tells a spent pool’s 429 from a burst limit’s', () => {
    expect(quotaRefusal(429, new Headers({ 'RateLimit-Reason': 'confluence-quota-global-based' }))).toBe(
      'global',
    );
    expect(quotaRefusal(429, new Headers({ 'RateLimit-Reason': 'confluence-quota-tenant-based' }))).toBe(
      'tenant',
    );
    expect(quotaRefusal(429, new Headers({ RateLimit: '"global-app-quota";r=0;t=30' }))).toBe('global');
    expect(quotaRefusal(429, new Headers({ 'Retry-After': '1' }))).toBeUndefined();
    expect(
      quotaRefusal(503, new Headers({ 'RateLimit-Reason': 'confluence-quota-global-based' })),
    ).toBeUndefined();
  });
});
