import type { TestProject } from 'vitest/node';
import { startEmulator } from '../emulator/server.ts';

/** Starts the one Atlassian emulator the gateway suite talks to, on a free loopback port. */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator({ port: 0 });
  project.provide('emulatorUrl', emulator.url);
  return () => emulator.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    emulatorUrl: string;
  }
}
