import type { Site } from '../sites.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The consent screen: the app's name, the scopes and the sites to be granted, and two buttons
 * in a plain form POST (works without JS). `#allow` and `#deny` are stable for browser tests.
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
  const scopeItems = scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  const siteItems = sites.length
    ? sites.map((s) => `<li>${escapeHtml(s.name)} (${escapeHtml(s.url)})</li>`).join('')
    : '<li>No sites</li>';
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Authorize ${escapeHtml(appName)}</title></head>
  <body>
    <h1>${escapeHtml(appName)} is requesting access to your Atlassian account</h1>
    <h2>Permissions</h2>
    <ul id="scopes">${scopeItems}</ul>
    <h2>Sites</h2>
    <ul id="sites">${siteItems}</ul>
    <form method="post" action="/authorize">
      ${hidden}
      <button type="submit" id="allow" name="decision" value="allow">Accept</button>
      <button type="submit" id="deny" name="decision" value="deny">Deny</button>
    </form>
  </body>
</html>`;
}

export function errorPage(message: string) {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Something went wrong</title></head>
  <body><h1>Something went wrong</h1><p id="error">${escapeHtml(message)}</p></body>
</html>`;
}
