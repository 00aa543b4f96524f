import { describe, expect, it } from 'vitest';
import { applyRecordChange } from '../../src/integrations/record-change.ts';
import type { IntegrationRecord } from '../../src/integrations/records.ts';

const record: IntegrationRecord = {
  id: 'int_1',
  owner_id: 'owner',
  name: 'Wiki',
  status: 'needs_reauth',
  site: { cloud_id: 'c', url: 'https://acme.atlassian.net', name: 'acme' },
  scopes: ['read:page:confluence'],
  policy: {
    read_only: true,
    allowed_tools: null,
    denied_tools: ['delete_confluence_page'],
    allowed_spaces: null,
    toolsets: null,
  },
  account_id: 'a1',
  created_at: '2026-12-01T00:00:00.000Z',
  updated_at: '2026-12-01T00:00:00.000Z',
};
const NOW = '2026-12-02T00:00:00.000Z';

describe('applyRecordChange', () => {
  it('changes only the policy fields a change names, keeping the others and every other field', () => {
    const changed = applyRecordChange(
      record,
      { policy: { allowed_spaces: ['ENG'], read_only: undefined } },
      NOW,
    );
    expect(changed).toEqual({
      ...record,
      policy: { ...record.policy, allowed_spaces: ['ENG'] },
      updated_at: NOW,
    });
  });

  it('changes the status only from the statuses a change allows', () => {
    const confirm = { status: 'active', onlyFromStatus: ['pending_confirmation'] } as const;
    expect(applyRecordChange(record, confirm, NOW).status).toBe('needs_reauth');
    expect(applyRecordChange({ ...record, status: 'pending_confirmation' }, confirm, NOW).status).toBe(
      'active',
    );
  });

  it('a reconnect’s change leaves the policy and the creation time alone', () => {
    const reconnect = { status: 'active', site: record.site, scopes: ['x'], account_id: 'a1' } as const;
    const changed = applyRecordChange(record, { ...reconnect, scopes: ['x'] }, NOW);
    expect(changed.policy).toEqual(record.policy);
    expect(changed.created_at).toBe(record.created_at);
    expect(changed).toMatchObject({ status: 'active', scopes: ['x'] });
  });
});
