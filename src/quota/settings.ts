import { requireConfig } from '../config.ts';
import type { QuotaSettings } from './meter.ts';

/** The quota's settings: the app whose pools they are, the pool until Atlassian sizes it, the share. */
export function quotaSettings(env: Env): QuotaSettings {
  const config = requireConfig(env, [
    'CONFLUENCE_CLIENT_ID',
    'ATLASSIAN_POINTS_PER_HOUR',
    'POINTS_PER_INTEGRATION_PER_HOUR',
  ]);
  return {
    app: config.CONFLUENCE_CLIENT_ID,
    pointsPerHour: config.ATLASSIAN_POINTS_PER_HOUR,
    ...(config.POINTS_PER_INTEGRATION_PER_HOUR !== undefined && {
      pointsPerIntegrationPerHour: config.POINTS_PER_INTEGRATION_PER_HOUR,
    }),
  };
}
