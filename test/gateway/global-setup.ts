import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../dev/emulator/server.ts';
import { startReceiver } from '../../dev/receiver.ts';

/**
 * Starts the one Atlassian emulator the gateway suite talks to, and the event receiver that stands
 * for the agent platform's endpoint, each on a free loopback port.
 */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator({ port: 0 });
  const receiver = await startReceiver({ port: 0 });
  project.provide('emulatorUrl', emulator.url);
  project.provide('receiverUrl', receiver.url);
  return async () => {
    await receiver.close();
    await emulator.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorUrl: string;
    receiverUrl: string;
  }
}
