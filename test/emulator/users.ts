/** Atlassian accounts in the emulated world. The one who consents is CURRENT_USER. */
export const USERS = {
  current: { accountId: '712020:5e1d9c4b-3a2f-4e6d-8b7c-0a9f8e7d6c5b', displayName: 'Erin Emulator' },
  alice: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Alice Archer' },
  bob: { accountId: '5c2f9b1e4d3a7f0012ab34cd', displayName: 'Bob Builder' },
} as const;

export const CURRENT_USER = USERS.current;
