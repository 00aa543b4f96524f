/**
 * An MCP client that knows only the gateway's `/mcp` URL and signs in by itself, through the
 * official v2 client's OAuth support (`OAuthClientProvider`): discovery, dynamic registration,
 * PKCE, the code exchange and refreshes are the SDK's. What a user does in the browser in between
 * (Atlassian's consent, the gateway's consent page with its site choice) is played by `signIn`.
 */
import {
  auth,
  Client,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';

/** Where the client says it listens for the code; nothing needs to listen, the redirect is read. */
export const CLIENT_REDIRECT = 'http://127.0.0.1:33418/oauth/callback';

export class InMemoryOAuthClient implements OAuthClientProvider {
  information?: StoredOAuthClientInformation;
  stored?: StoredOAuthTokens;
  verifier = '';
  discovery?: OAuthDiscoveryState;
  /** The URL the SDK asked to open in the browser. */
  authorizationUrl?: URL;

  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  get redirectUrl() {
    return CLIENT_REDIRECT;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.name,
      redirect_uris: [CLIENT_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: StoredOAuthClientInformation) {
    this.information = information;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

/** A v2 client (2026-07-28) on `url`, authorised by `provider`. */
export async function connectWithOAuth(url: string, provider: OAuthClientProvider) {
  const client = new Client(
    { name: 'oauth-tests', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  await client.connect(transport);
  return { client, transport };
}

/**
 * The first connection: the server answers 401, the SDK discovers, registers and asks the browser
 * to open the authorization URL; `signIn` plays the browser and returns the redirect back to the
 * client, whose code the SDK exchanges. Returns the connected client.
 */
export async function firstConnection(
  url: string,
  provider: InMemoryOAuthClient,
  signIn: (authorizationUrl: URL) => Promise<URL>,
) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  const client = new Client(
    { name: 'oauth-tests', version: '1.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  let refused: unknown;
  try {
    await client.connect(transport);
  } catch (error) {
    refused = error;
  }
  if (!(refused instanceof UnauthorizedError) || !provider.authorizationUrl) {
    throw new Error(`expected the SDK to start signing in, got ${String(refused)}`);
  }
  const back = await signIn(provider.authorizationUrl);
  await transport.finishAuth(back.searchParams);
  return connectWithOAuth(url, provider);
}

/** What the SDK does when a token expires: refresh with the stored refresh token. */
export function refreshNow(url: string, provider: InMemoryOAuthClient) {
  return auth(provider, { serverUrl: new URL(url) });
}

/**
 * A browser of one cookie that follows redirects by hand and stops at the client's redirect URI,
 * at a page (returned for the caller to act on), or after too many hops.
 */
export class CookieBrowser {
  cookie = '';

  async open(url: string | URL, init: RequestInit = {}): Promise<{ url: URL; response?: Response }> {
    let next = new URL(url);
    let request: RequestInit = init;
    for (let hop = 0; hop < 10; hop++) {
      if (next.href.startsWith(CLIENT_REDIRECT)) return { url: next };
      const response = await fetch(next, {
        ...request,
        redirect: 'manual',
        headers: {
          ...(request.headers as Record<string, string>),
          ...(this.cookie && { cookie: this.cookie }),
        },
      });
      const set = response.headers.get('set-cookie');
      if (set) this.cookie = set.split(';')[0] as string;
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: next, response };
      next = new URL(location, next);
      request = {};
    }
    throw new Error('too many redirects');
  }
}
