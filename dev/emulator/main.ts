/**
 * Runs the Atlassian emulator on its own:
 *   node dev/emulator/main.ts --port 8788 [--host 127.0.0.1] [--auto-approve] [--log] [--no-validate]
 *     [--site-preset default|single|jira_only] [--client id:secret]…
 *     [--quota-points 65000] [--quota-window-seconds 3600]
 */
import { parseArgs } from 'node:util';
import { type ClientOption, startEmulator } from './server.ts';
import { isSitePreset } from './sites.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8788' },
    host: { type: 'string', default: '127.0.0.1' },
    'auto-approve': { type: 'boolean', default: false },
    log: { type: 'boolean', default: false },
    'no-validate': { type: 'boolean', default: false },
    'site-preset': { type: 'string' },
    client: { type: 'string', multiple: true },
    'quota-points': { type: 'string' },
    'quota-window-seconds': { type: 'string' },
  },
});

const preset = values['site-preset'];
if (preset !== undefined && !isSitePreset(preset)) {
  console.error(`--site-preset must be default, single or jira_only, not ${preset}`);
  process.exit(2);
}
const clients: ClientOption[] | undefined = values.client?.map((pair) => {
  const [clientId = '', clientSecret = ''] = pair.split(':');
  return { clientId, clientSecret };
});

const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  autoApprove: values['auto-approve'],
  log: values.log,
  validate: !values['no-validate'],
  sitePreset: preset,
  clients,
  quota: {
    ...(values['quota-points'] && { points: Number(values['quota-points']) }),
    ...(values['quota-window-seconds'] && { window_seconds: Number(values['quota-window-seconds']) }),
  },
});
console.log(`Atlassian emulator listening on ${emulator.url}`);
console.log(`  control plane: ${emulator.url}/_emulator/seed, /_emulator/requests, /_emulator/violations`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
}
