/** An OAuth 2.0 (3LO) app registered in the developer console: a confidential client. */
export interface OAuthClient {
  client_id: string;
  client_secret: string;
  /** The app's name on the consent page. */
  name: string;
  /** Callback URLs the app registered; empty accepts any (the test gateway's host varies). */
  redirect_uris: string[];
}

export const DEFAULT_CLIENT: OAuthClient = {
  client_id: 'test-client-id',
  client_secret: 'test-client-secret',
  name: 'Confluence Agent Gateway (test)',
  redirect_uris: [],
};

export function parseClient(input: unknown): OAuthClient {
  const raw = (input ?? {}) as Record<string, unknown>;
  if (typeof raw.client_id !== 'string' || typeof raw.client_secret !== 'string') {
    throw new Error('a client needs "client_id" and "client_secret" strings');
  }
  const uris = raw.redirect_uris ?? (raw.redirect_uri ? [raw.redirect_uri] : []);
  return {
    client_id: raw.client_id,
    client_secret: raw.client_secret,
    name: typeof raw.name === 'string' ? raw.name : raw.client_id,
    redirect_uris: Array.isArray(uris) ? uris.map(String) : [],
  };
}

/** The registered clients, by id. */
export class ClientRegistry {
  #clients = new Map<string, OAuthClient>();

  constructor(clients: OAuthClient[]) {
    for (const client of clients) this.register(client);
  }

  register(client: OAuthClient): void {
    this.#clients.set(client.client_id, client);
  }

  find(clientId: unknown): OAuthClient | undefined {
    return typeof clientId === 'string' ? this.#clients.get(clientId) : undefined;
  }

  /** The client when both id and secret match; undefined otherwise (the caller answers 401). */
  authenticate(clientId: unknown, clientSecret: unknown): OAuthClient | undefined {
    const client = this.find(clientId);
    return client && client.client_secret === clientSecret ? client : undefined;
  }

  list(): OAuthClient[] {
    return [...this.#clients.values()];
  }
}
