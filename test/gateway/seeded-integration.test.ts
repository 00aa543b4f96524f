import { beforeEach, describe, expect, it } from 'vitest';
import { connectIntegration, type Integration, seedIntegration } from './support/connect.ts';
import { emulatorControl } from './support/http.ts';
import { callTool } from './support/tools.ts';

/** A record without what differs between any two integrations: its id and its times. */
function shape(record: Integration) {
  const { id: _id, created_at: _created, updated_at: _updated, ...rest } = record;
  return rest;
}

beforeEach(async () => {
  await emulatorControl('POST', '/reset');
});

// seedIntegration() is the fast start of most gateway tests; it must leave what the browser does.
describe('seedIntegration', () => {
  it('leaves the same record as the browser flow for the same owner, name and site', async () => {
    const seeded = await seedIntegration({ ownerId: 'owner-seed', name: 'Wiki', preset: 'default' });
    const browsed = await connectIntegration({ ownerId: 'owner-seed', name: 'Wiki', preset: 'default' });
    expect(seeded.id).not.toBe(browsed.id);
    expect(shape(seeded.record)).toEqual(shape(browsed.record));
    expect(seeded.record.status).toBe('active');
  });

  it('picks the site named by siteId, as the picker would', async () => {
    const browsed = await connectIntegration({ preset: 'default' });
    const { sites } = await emulatorControl<{ sites: { id: string; product: string }[] }>('GET', '/config');
    const other = sites.find(
      (site) => site.product === 'confluence' && site.id !== browsed.record.site.cloud_id,
    )?.id as string;
    expect(other).toBeDefined();
    const seeded = await seedIntegration({ preset: 'default', siteId: other });
    expect(seeded.record.site.cloud_id).toBe(other);
  });

  it('stores tokens that reach Confluence through the tools', async () => {
    const { id } = await seedIntegration({ preset: 'single' });
    const answer = await callTool(id, 'get_confluence_spaces', { limit: 1 });
    expect(answer.status).toBe(200);
    expect(answer.body.spaces).toHaveLength(1);
  });
});
