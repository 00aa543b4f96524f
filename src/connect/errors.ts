import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Why a connect flow stopped. The code is what the application sees appended to its return_url
 * (`?error=<code>`); the title and advice are what the user reads on the gateway's error page.
 */
export const CONNECT_ERRORS = {
  session_not_found: {
    status: 404,
    title: 'This connect link is not valid',
    advice:
      'It has expired (links last 30 minutes) or was mistyped. Go back to the application and start connecting again.',
  },
  session_used: {
    status: 409,
    title: 'This connect link was already used',
    advice:
      'Each connect link connects once, and this one has already finished (perhaps in another tab or by someone the link was forwarded to). Nothing was changed. Go back to the application and start again if you need to.',
  },
  invalid_state: {
    status: 400,
    title: 'This sign-in could not be verified',
    advice:
      'The authorization was unknown, expired (after 10 minutes), already used, replaced by a newer one (the link was opened more than five times), or finished in a different browser than the one that started it. Start connecting again from the application, in one browser.',
  },
  link_used: {
    status: 400,
    title: 'This page was already used',
    advice:
      'The way back from Atlassian works once, so reloading it (or the site picker it showed) cannot run the sign-in again. If the site picker is still open in another tab, finish there; otherwise start connecting again from the application.',
  },
  access_denied: {
    status: 403,
    title: 'Access was not granted',
    advice:
      'You declined the request on Atlassian’s consent page, so nothing was connected. Start again from the application and choose Accept to connect Confluence.',
  },
  authorization_failed: {
    status: 400,
    title: 'Atlassian did not complete the authorization',
    advice:
      'Atlassian sent the browser back without an authorization. Start connecting again; if it keeps happening, ask an administrator to check the app in the Atlassian developer console.',
  },
  exchange_failed: {
    status: 502,
    title: 'Atlassian did not accept the authorization',
    advice:
      'The gateway could not trade the authorization for access (Atlassian was unavailable, the authorization expired, or the app’s credentials are wrong). Start connecting again in a minute; if it keeps failing, ask an administrator.',
  },
  missing_offline_access: {
    status: 502,
    title: 'Atlassian granted no lasting access',
    advice:
      'The grant came without a refresh token, so the connection would stop working within an hour. An administrator must include the offline_access scope in CONFLUENCE_OAUTH_SCOPE.',
  },
  no_confluence_site: {
    status: 400,
    title: 'No Confluence site was shared',
    advice:
      'The Atlassian account you used has no Confluence Cloud site this app may use (sites of other products such as Jira do not count). Start again and pick a site that has Confluence, or sign in with another account.',
  },
  site_not_allowed: {
    status: 403,
    title: 'No site you shared may be connected here',
    advice:
      'This gateway lets MCP clients connect only some Confluence sites (its operator set MCP_SIGN_IN_SITES), and none of the sites your Atlassian account shared is among them. Nothing was connected. Sign in with an account of an allowed site, or ask the operator.',
  },
  site_mismatch: {
    status: 409,
    title: 'That is a different Confluence site',
    advice:
      'Reconnecting must grant access to the same site the integration was made for. Start the reconnect again and choose that site, or create a new integration for the other site.',
  },
  account_mismatch: {
    status: 409,
    title: 'That is a different Atlassian account',
    advice:
      'This integration was connected by another Atlassian account, and reconnecting must be done by that same account: the integration’s agents and clients act as its person. Nothing was changed and the access you granted was not kept. Sign out of Atlassian (or use a private window), sign in as the account that connected the integration, and open the reconnect link again; or ask the application to connect a new integration for your account.',
  },
  integration_not_found: {
    status: 404,
    title: 'The integration no longer exists',
    advice:
      'The integration being reconnected was deleted meanwhile. Go back to the application and connect a new one.',
  },
  connection_expired: {
    status: 400,
    title: 'This connection has expired',
    advice:
      'The site choice was not submitted within 15 minutes, or the form was opened in another browser. Start connecting again.',
  },
  invalid_request: {
    status: 400,
    title: 'The request was incomplete',
    advice: 'A required field was missing. Go back to the application and start connecting again.',
  },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string; advice: string }>;

export type ConnectErrorCode = keyof typeof CONNECT_ERRORS;

/**
 * A connect flow that cannot go on. With a return URL (the connect session is known), the browser is
 * sent back to the application with `error=<code>`; without one, the gateway shows an error page.
 */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  readonly code: ConnectErrorCode;
  readonly returnUrl: string | null;

  constructor(code: ConnectErrorCode, returnUrl: string | null = null) {
    super(CONNECT_ERRORS[code].title);
    this.code = code;
    this.returnUrl = returnUrl;
  }
}
