/**
 * Body representations. Pages are stored in storage format (XHTML with `ac:`/`ri:` macros);
 * `view` is rendered from it as Confluence would (plausibly, deterministically), and
 * `atlas_doc_format` is converted to a small ADF document and back.
 */
import type { ContentStore } from './content-store.ts';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
export const decodeEntities = (s: string) =>
  s.replace(/&(#\d+|[a-z]+);/gi, (whole, name: string) =>
    name.startsWith('#')
      ? String.fromCharCode(Number(name.slice(1)))
      : (ENTITIES[name.toLowerCase()] ?? whole),
  );

/** Plain text of a storage body: what search indexes and excerpts are cut from. */
export function storageToText(storage: string): string {
  return decodeEntities(
    storage
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, text: string) => ` ${escapeHtml(text)} `)
      .replace(/<ac:parameter[^>]*>[\s\S]*?<\/ac:parameter>/g, ' ')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

const CODE_MACRO =
  /<ac:structured-macro ac:name="code"[^>]*>(?:<ac:parameter ac:name="language">([^<]*)<\/ac:parameter>)?[\s\S]*?<ac:plain-text-body><!\[CDATA\[([\s\S]*?)\]\]><\/ac:plain-text-body><\/ac:structured-macro>/g;
const PANEL_MACRO =
  /<ac:structured-macro ac:name="(info|note|warning|tip)"[^>]*>[\s\S]*?<ac:rich-text-body>([\s\S]*?)<\/ac:rich-text-body><\/ac:structured-macro>/g;
const PAGE_LINK =
  /<ac:link>\s*<ri:page ri:content-title="([^"]*)"(?: ri:space-key="([^"]*)")?\s*\/>(?:<ac:plain-text-link-body><!\[CDATA\[([\s\S]*?)\]\]><\/ac:plain-text-link-body>)?<\/ac:link>/g;

const INCLUDE_MACRO =
  /<ac:structured-macro ac:name="(include|excerpt-include)"[^>]*>([\s\S]*?)<\/ac:structured-macro>/g;
const EXCERPT_MACRO =
  /<ac:structured-macro ac:name="excerpt"[^>]*>[\s\S]*?<ac:rich-text-body>([\s\S]*?)<\/ac:rich-text-body><\/ac:structured-macro>/;

/** The page an include macro names: `<ri:page ri:content-title ri:space-key?>`, or `KEY:Title` as text. */
function includedPage(params: string, store: ContentStore, spaceKey: string) {
  const resource = /<ri:page\b([^>]*)\/?>/.exec(params)?.[1];
  let title: string | undefined;
  let key = spaceKey;
  if (resource) {
    title = /ri:content-title="([^"]*)"/.exec(resource)?.[1];
    key = /ri:space-key="([^"]*)"/.exec(resource)?.[1] ?? spaceKey;
  } else {
    const text = /<ac:parameter ac:name="(?:page)?">([^<]*)<\/ac:parameter>/.exec(params)?.[1]?.trim() ?? '';
    const colon = text.indexOf(':');
    title = colon > 0 ? text.slice(colon + 1) : text;
    if (colon > 0) key = text.slice(0, colon);
  }
  const space = store.spaceByKey(key);
  const page = [...store.pages.values()].find(
    (p) => p.title === decodeEntities(title ?? '') && p.spaceId === space?.id && p.status === 'current',
  );
  return page && space ? { page, space } : undefined;
}

/**
 * Renders storage to the HTML Confluence's `view` representation resembles. Like Confluence, it
 * expands `include` (the whole body) and `excerpt-include` (the target's `excerpt` macro) of a page
 * of any space, rendered in its turn (to a depth of three here; Confluence stops at cycles).
 */
export function storageToView(storage: string, store: ContentStore, spaceKey: string, depth = 0): string {
  return storage
    .replace(INCLUDE_MACRO, (_m, macro: string, params: string) => {
      const found = includedPage(params, store, spaceKey);
      if (!found || depth > 1) {
        return `<div class="conf-macro output-block" data-macro-name="${macro}"><p>Unable to render {${macro}}: the page could not be found.</p></div>`;
      }
      const source = macro === 'include' ? found.page.body : (EXCERPT_MACRO.exec(found.page.body)?.[1] ?? '');
      const inner = storageToView(source, store, found.space.key, depth + 1);
      return `<div class="conf-macro output-block" data-macro-name="${macro}">${inner}</div>`;
    })
    .replace(CODE_MACRO, (_m, language = 'none', code: string) =>
      [
        '<div class="code panel pdl conf-macro output-block" data-macro-name="code"><div class="codeContent panelContent pdl">',
        `<pre class="syntaxhighlighter-pre" data-syntaxhighlighter-params="brush: ${language}; gutter: false; theme: Confluence" data-theme="Confluence">`,
        escapeHtml(code),
        '</pre></div></div>',
      ].join(''),
    )
    .replace(
      PANEL_MACRO,
      (_m, kind: string, inner: string) =>
        `<div class="confluence-information-macro confluence-information-macro-${kind} conf-macro output-block" data-macro-name="${kind}"><div class="confluence-information-macro-body">${inner}</div></div>`,
    )
    .replace(PAGE_LINK, (_m, title: string, key: string | undefined, text: string | undefined) => {
      const space = store.spaceByKey(key ?? spaceKey);
      const target = [...store.pages.values()].find((p) => p.title === title && p.spaceId === space?.id);
      const href = target
        ? `/wiki/spaces/${space?.key}/pages/${target.id}/${encodeURIComponent(title).replace(/%20/g, '+')}`
        : `/wiki/display/${key ?? spaceKey}/${encodeURIComponent(title)}`;
      const idAttr = target ? ` data-linked-resource-id="${target.id}" data-linked-resource-type="page"` : '';
      return `<a href="${href}"${idAttr}>${escapeHtml(text ?? title)}</a>`;
    })
    .replace(/<table>/g, '<div class="table-wrap"><table class="confluenceTable">')
    .replace(/<\/table>/g, '</table></div>')
    .replace(/<th>/g, '<th class="confluenceTh">')
    .replace(/<td>/g, '<td class="confluenceTd">')
    .replace(/<ac:task-list>/g, '<ul class="inline-task-list">')
    .replace(/<\/ac:task-list>/g, '</ul>')
    .replace(/<ac:task>[\s\S]*?<ac:task-body>([\s\S]*?)<\/ac:task-body><\/ac:task>/g, '<li>$1</li>')
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, text: string) => escapeHtml(text))
    .replace(/<\/?(ac|ri):[^>]*>/g, '');
}

type AdfNode = { type: string; attrs?: Record<string, unknown>; content?: AdfNode[]; text?: string };

const textNode = (text: string): AdfNode[] => (text ? [{ type: 'text', text }] : []);

/** A small ADF document: headings, paragraphs, code blocks and list items, in order. */
export function storageToAdf(storage: string): string {
  const content: AdfNode[] = [];
  const block =
    /<h([1-6])>([\s\S]*?)<\/h\1>|<p>([\s\S]*?)<\/p>|<li>([\s\S]*?)<\/li>|<ac:structured-macro ac:name="code"[^>]*>(?:<ac:parameter ac:name="language">([^<]*)<\/ac:parameter>)?[\s\S]*?<!\[CDATA\[([\s\S]*?)\]\]>[\s\S]*?<\/ac:structured-macro>|<tr>([\s\S]*?)<\/tr>/g;
  for (const m of storage.matchAll(block)) {
    if (m[1])
      content.push({
        type: 'heading',
        attrs: { level: Number(m[1]) },
        content: textNode(storageToText(m[2] ?? '')),
      });
    else if (m[3] !== undefined) content.push({ type: 'paragraph', content: textNode(storageToText(m[3])) });
    else if (m[4] !== undefined)
      content.push({ type: 'paragraph', content: textNode(`• ${storageToText(m[4])}`) });
    else if (m[6] !== undefined)
      content.push({ type: 'codeBlock', attrs: { language: m[5] ?? 'none' }, content: textNode(m[6]) });
    else if (m[7] !== undefined)
      content.push({
        type: 'paragraph',
        content: textNode(storageToText(m[7].replace(/<\/t[dh]>/g, ' | '))),
      });
  }
  return JSON.stringify({ type: 'doc', version: 1, content });
}

function adfNodeToStorage(node: AdfNode): string {
  const inner = () => (node.content ?? []).map(adfNodeToStorage).join('');
  switch (node.type) {
    case 'text':
      return escapeHtml(node.text ?? '');
    case 'heading':
      return `<h${Number(node.attrs?.level ?? 1)}>${inner()}</h${Number(node.attrs?.level ?? 1)}>`;
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'codeBlock': {
      const code = (node.content ?? []).map((n) => n.text ?? '').join('');
      return `<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">${String(node.attrs?.language ?? 'none')}</ac:parameter><ac:plain-text-body><![CDATA[${code}]]></ac:plain-text-body></ac:structured-macro>`;
    }
    case 'bulletList':
      return `<ul>${inner()}</ul>`;
    case 'orderedList':
      return `<ol>${inner()}</ol>`;
    case 'listItem':
      return `<li>${inner()}</li>`;
    default:
      return inner();
  }
}

/** Converts a written body to storage; undefined when an ADF value is not JSON. */
export function toStorage(representation: string, value: string): string | undefined {
  if (representation === 'storage') return value;
  if (representation === 'atlas_doc_format') {
    try {
      return adfNodeToStorage(JSON.parse(value) as AdfNode);
    } catch {
      return undefined;
    }
  }
  // Wiki markup: kept as escaped paragraphs; the emulator does not render wiki syntax.
  return value
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('');
}
