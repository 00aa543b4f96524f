import type { Site } from '../sites.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * Scopes in the groups a person reads on Atlassian's consent screen: what the app may read, what it
 * may change, and whether it keeps access while the user is away. A scope that fits no group is
 * listed under "Other" as it is, so nothing requested is hidden.
 */
const SCOPE_GROUPS: { title: string; test: (scope: string) => boolean }[] = [
  { title: 'Read Confluence content, spaces and users', test: (s) => /^(read|readonly|search):/.test(s) },
  { title: 'Create and change Confluence content', test: (s) => s.startsWith('write:') },
  { title: 'Keep access while you are away', test: (s) => s === 'offline_access' },
];

function groupScopes(scopes: string[]): { title: string; scopes: string[] }[] {
  const groups = SCOPE_GROUPS.map((group) => ({ title: group.title, scopes: scopes.filter(group.test) }));
  const other = scopes.filter((s) => !SCOPE_GROUPS.some((group) => group.test(s)));
  return [...groups, { title: 'Other', scopes: other }].filter((group) => group.scopes.length > 0);
}

const STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #172b4d; margin: 0; }
  main { max-width: 34rem; margin: 3rem auto; background: #fff; border-radius: 8px; padding: 2rem;
         box-shadow: 0 1px 3px rgba(9, 30, 66, .25); }
  .brand { color: #0052cc; font-weight: 600; letter-spacing: .02em; margin: 0 0 1rem; }
  h1 { font-size: 1.35rem; margin: 0 0 1rem; }
  h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
  h3 { font-size: .9rem; margin: .75rem 0 .25rem; color: #42526e; }
  ul { margin: 0; padding-left: 1.25rem; }
  code { font-size: .8rem; color: #42526e; }
  .note { color: #6b778c; font-size: .85rem; }
  .actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 2rem; }
  button { font: inherit; border: 0; border-radius: 4px; padding: .5rem 1.25rem; cursor: pointer; }
  #allow { background: #0052cc; color: #fff; }
  #deny { background: #ebecf0; color: #172b4d; }`;

/**
 * The consent screen: the app's registered name, the scopes in readable groups (each scope's exact
 * name beside it), the sites to be granted, and two buttons in a plain form POST (works without JS).
 * `#allow` and `#deny` are stable for browser tests.
 */
export function consentPage(
  appName: string,
  scopes: string[],
  sites: Site[],
  params: Record<string, string>,
) {
  const hidden = Object.entries(params)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  const scopeGroups = groupScopes(scopes)
    .map(
      (group) =>
        `<h3>${escapeHtml(group.title)}</h3><ul>${group.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>`,
    )
    .join('\n      ');
  const siteItems = sites.length
    ? sites.map((s) => `<li>${escapeHtml(s.name)} (${escapeHtml(s.url)})</li>`).join('')
    : '<li>No sites</li>';
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Authorize ${escapeHtml(appName)}</title><style>${STYLE}</style></head>
  <body><main>
    <p class="brand">Atlassian (emulator)</p>
    <h1><strong>${escapeHtml(appName)}</strong> is requesting access to your Atlassian account</h1>
    <h2>It will be able to</h2>
    <div id="scopes">
      ${scopeGroups}
    </div>
    <h2>On these sites</h2>
    <ul id="sites">${siteItems}</ul>
    <p class="note">This page is the sandbox's stand-in for auth.atlassian.com. Accept sends you back to the app with a code; Deny sends it an access_denied error.</p>
    <form method="post" action="/authorize">
      ${hidden}
      <div class="actions">
        <button type="submit" id="deny" name="decision" value="deny">Deny</button>
        <button type="submit" id="allow" name="decision" value="allow">Accept</button>
      </div>
    </form>
  </main></body>
</html>`;
}

export function errorPage(message: string) {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Something went wrong</title><style>${STYLE}</style></head>
  <body><main><h1>Something went wrong</h1><p id="error">${escapeHtml(message)}</p></main></body>
</html>`;
}
