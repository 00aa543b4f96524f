/**
 * Atlassian accounts in the emulated world. The one who consents is CURRENT_USER. `email` is what
 * Atlassian shows to others: only accounts whose profile makes it visible carry one.
 */
export interface Account {
  accountId: string;
  displayName: string;
  accountType: 'atlassian' | 'app';
  email?: string;
}

export const USERS = {
  current: {
    accountId: '712020:5e1d9c4b-3a2f-4e6d-8b7c-0a9f8e7d6c5b',
    displayName: 'Erin Emulator',
    accountType: 'atlassian',
    email: 'erin@acme.example',
  },
  alice: {
    accountId: '5b10ac8d82e05b22cc7d4ef5',
    displayName: 'Alice Archer',
    accountType: 'atlassian',
    email: 'alice.archer@acme.example',
  },
  bob: { accountId: '5c2f9b1e4d3a7f0012ab34cd', displayName: 'Bob Builder', accountType: 'atlassian' },
  alan: { accountId: '5d3e0c2f5e4b8a1123bc45de', displayName: 'Alan Alder', accountType: 'atlassian' },
  automation: {
    accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
    displayName: 'Automation for Confluence',
    accountType: 'app',
  },
} as const satisfies Record<string, Account>;

export const CURRENT_USER: Account = USERS.current;

export const ACCOUNTS: readonly Account[] = Object.values(USERS);
