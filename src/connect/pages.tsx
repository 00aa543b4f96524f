import { raw } from 'hono/html';
import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { IntegrationRecord } from '../integrations/records.ts';
import type { McpAuthorization } from '../oauth/request.ts';
import type { PickableSite } from './pending.ts';

/**
 * The few HTML pages of the connect flow. Plain forms that work without JavaScript (there is none),
 * every value escaped by hono/jsx, labels on every control, and a style sheet small enough to inline.
 */

const STYLE = `
:root { color-scheme: light dark; --accent: #0c66e4; --muted: #626f86; --border: #c1c7d0; --error: #ae2e24; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: Canvas; color: CanvasText; }
main { max-width: 34rem; margin: 3rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); }
fieldset { border: 1px solid var(--border); border-radius: 8px; padding: .75rem 1rem 1rem; margin: 0 0 1.25rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.site { display: flex; gap: .75rem; align-items: flex-start; padding: .6rem .5rem; border-radius: 6px; cursor: pointer; }
.site:hover { background: color-mix(in srgb, var(--accent) 8%, transparent); }
.site input { margin-top: .3rem; accent-color: var(--accent); }
.site span { display: flex; flex-direction: column; }
.site small { color: var(--muted); }
label.field { display: block; font-weight: 600; margin-bottom: .25rem; }
input[type=text] { width: 100%; font: inherit; padding: .5rem .6rem; border: 1px solid var(--border); border-radius: 6px; }
.hint { font-size: .875rem; color: var(--muted); margin: .25rem 0 1.25rem; }
button { font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 6px; padding: .6rem 1.2rem; cursor: pointer; }
button.secondary { color: var(--accent); background: transparent; border: 1px solid var(--border); }
:focus-visible { outline: 3px solid color-mix(in srgb, var(--accent) 60%, transparent); outline-offset: 2px; }
.alert { border-left: 4px solid var(--error); background: color-mix(in srgb, var(--error) 8%, transparent); padding: .6rem .9rem; margin: 0 0 1.25rem; border-radius: 4px; }
code { font-size: .875rem; }
`;

const Layout: FC<{ title: string; children?: Child }> = ({ title, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{title}</title>
      {/* A constant of this file, not user input: inserted as is so CSS quotes survive. */}
      <style>{raw(STYLE)}</style>
    </head>
    <body>
      <main>{children}</main>
    </body>
  </html>
);

const SitePickerPage: FC<{
  pendingId: string;
  sites: PickableSite[];
  name: string;
  selected?: string;
  error?: string;
  /** An MCP client asks: the page is its consent, naming it; the integration keeps its site's name. */
  mcpClient?: McpAuthorization['client'];
}> = ({ pendingId, sites, name, selected, error, mcpClient }) => {
  const chosen = selected ?? (sites.length === 1 ? sites[0]?.cloud_id : undefined);
  return (
    <Layout title="Connect Confluence: choose a site">
      <h1>{mcpClient ? 'Allow access to Confluence' : 'Connect Confluence'}</h1>
      {mcpClient ? (
        <McpConsentLine client={mcpClient} />
      ) : (
        <p class="muted">
          {sites.length > 1
            ? 'Your Atlassian account shares more than one Confluence site. Choose the one this integration will use, and give it a name.'
            : 'Give this integration a name you will recognise.'}
        </p>
      )}
      {error ? (
        <p class="alert" role="alert" id="form-error">
          {error}
        </p>
      ) : null}
      <form method="post" action="finalize" aria-describedby={error ? 'form-error' : undefined}>
        <input type="hidden" name="pending" value={pendingId} />
        <fieldset>
          <legend>Confluence site</legend>
          {sites.map((site) => (
            <label class="site">
              <input
                type="radio"
                name="site_id"
                value={site.cloud_id}
                checked={site.cloud_id === chosen}
                required
              />
              <span>
                <strong>{site.name}</strong>
                <small>{site.url}</small>
              </span>
            </label>
          ))}
        </fieldset>
        {mcpClient ? (
          <p class="actions">
            <button type="submit" name="decision" value="allow">
              Allow
            </button>{' '}
            <button type="submit" name="decision" value="deny" class="secondary" formnovalidate>
              Deny
            </button>
          </p>
        ) : (
          <>
            <label class="field" for="name">
              Integration name
            </label>
            <input
              type="text"
              id="name"
              name="name"
              value={name}
              required
              maxlength={200}
              autocomplete="off"
              aria-describedby="name-hint"
            />
            <p class="hint" id="name-hint">
              Shown in the application, for example “Team wiki”.
            </p>
            <button type="submit">Connect site</button>
          </>
        )}
      </form>
    </Layout>
  );
};

/** Who asks, unverified unless a metadata document vouches for the domain, and where the code goes. */
const McpConsentLine: FC<{ client: McpAuthorization['client'] }> = ({ client }) => (
  <>
    <p id="mcp-consent">
      <strong>{client.name}</strong>
      {client.domain ? ` (${client.domain})` : ' (name given by the application, not verified)'} asks to use
      the Confluence tools of this gateway as you: read, create and edit pages and comments on the site you
      choose.
    </p>
    <p class="muted">
      {client.redirect_is_loopback
        ? `The authorization goes to an application on this computer (${client.redirect_host}). Allow only if you just started connecting from it.`
        : `The authorization goes to ${client.redirect_host}. Allow only if you trust it.`}
    </p>
  </>
);

const ConnectedPage: FC<{ record: IntegrationRecord }> = ({ record }) => (
  <Layout title="Confluence connected">
    <h1>Confluence connected</h1>
    <p>
      <strong>{record.name}</strong> now has access to {record.site.name} ({record.site.url}).
    </p>
    <p>
      Integration id: <code>{record.id}</code>
    </p>
    <p class="muted">You can close this window and go back to the application.</p>
  </Layout>
);

const ErrorPage: FC<{ title: string; advice: string; code: string }> = ({ title, advice, code }) => (
  <Layout title={title}>
    <h1>{title}</h1>
    <p>{advice}</p>
    <p class="muted">
      Nothing was connected. Error code: <code>{code}</code>
    </p>
  </Layout>
);

type PropsOf<T> = T extends FC<infer P> ? Omit<P, keyof PropsWithChildren> : never;

/** A whole document, ready for `c.html()`. */
async function render(page: HtmlEscapedString | Promise<HtmlEscapedString>): Promise<string> {
  return `<!doctype html>${await (await page).toString()}`;
}

export const sitePickerPage = (props: PropsOf<typeof SitePickerPage>) =>
  render(<SitePickerPage {...props} />);
export const connectedPage = (props: PropsOf<typeof ConnectedPage>) => render(<ConnectedPage {...props} />);
export const errorPage = (props: PropsOf<typeof ErrorPage>) => render(<ErrorPage {...props} />);
