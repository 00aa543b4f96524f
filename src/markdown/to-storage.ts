import markdownit, { type Token } from 'markdown-it';
import { writeGrids } from './markers.ts';
import type { Kept } from './to-markdown.ts';
import { cdata, escapeAttribute, escapeText } from './xml.ts';

/**
 * Markdown (CommonMark with GFM tables, strikethrough and task lists) → clean storage format.
 * A fenced block becomes a code macro with its language, a `> [!INFO]` quote an info panel, layout
 * and table marker lines a layout or a table (markers.ts), a task list an `ac:task-list`,
 * `@user:<account id>` a mention, `[date: 2026-12-01]` a date,
 * `[status: Done (green)]` a status lozenge, and a link to `page:Title`, `attachment:file`
 * or a page URL of the site an `ac:link`. Raw HTML in the Markdown is text, never markup.
 *
 * With `kept` (the memory of the page being rewritten), each kept element's Markdown form found in
 * the text is swapped for a private-use marker before parsing and for its exact source afterwards.
 */

export interface WriteOptions {
  /** The site's address (https://acme.atlassian.net): its page URLs become page links. */
  siteUrl?: string;
  kept?: readonly Kept[];
}

const parser = markdownit('commonmark', { html: false }).enable(['table', 'strikethrough']);

const PANEL_MACROS: Record<string, string> = {
  INFO: 'info',
  NOTE: 'note',
  WARNING: 'warning',
  TIP: 'tip',
  PANEL: 'panel',
  EXPAND: 'expand',
  CAUTION: 'warning',
  IMPORTANT: 'note',
};

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKS = /\uE000(\d+)\uE001/g;

export function markdownToStorage(markdown: string, options: WriteOptions = {}): string {
  return withKept(markdown, options, (text, writer) =>
    writeGrids(text, (stretch) => writer.blocks(tree(parser.parse(stretch, {})))),
  );
}

/** Markdown inline content (a table cell's) → storage inline content, with no paragraph around it. */
export function inlineToStorage(markdown: string, options: WriteOptions = {}): string {
  return withKept(markdown, options, (text, writer) => {
    const [inline] = parser.parseInline(text, {});
    return inline ? writer.inline(tree(inline.children ?? [])) : '';
  });
}

/** Converts with each kept element's form swapped for a marker, and the marker for its source after. */
function withKept(
  markdown: string,
  options: WriteOptions,
  write: (text: string, writer: Writer) => string,
): string {
  const kept = [...(options.kept ?? [])].sort((a, b) => b.markdown.length - a.markdown.length);
  let text = markdown.replace(/\r\n?/g, '\n').replace(/[\uE000\uE001]/g, '');
  kept.forEach((element, index) => {
    if (text.includes(element.markdown))
      text = text.split(element.markdown).join(`${MARK_OPEN}${index}${MARK_CLOSE}`);
  });
  const writer = new Writer(options.siteUrl, (code) =>
    code.replace(MARKS, (_, i) => kept[Number(i)]?.markdown ?? ''),
  );
  const storage = write(text, writer);
  if (kept.length === 0) return storage;
  // A kept block (a macro alone on its line) was read as a paragraph: put it back without one.
  return storage
    .replace(/<p>\uE000(\d+)\uE001<\/p>/g, (_, i) => kept[Number(i)]?.source ?? '')
    .replace(MARKS, (_, i) => kept[Number(i)]?.source ?? '');
}

/** A top-level block of Markdown: its lines `[startLine, endLine)`, and what it is when it matters. */
export interface MarkdownBlock {
  startLine: number;
  endLine: number;
  /** A fenced block: its info string and its text. */
  fence?: { info: string; code: string };
  /** A quote that opens with `[!KIND]`: that first line, `[!INFO] Title`. */
  alert?: string;
  /** A table: each row's cells, as inline Markdown. */
  table?: string[][];
  /** A list: whether it is numbered and from which number, and each item's content, unindented. */
  list?: { ordered: boolean; start: number; items: string[] };
}

/** The top-level blocks of a Markdown text, as the writer parses them. */
export function markdownBlocks(markdown: string): MarkdownBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkdownBlock[] = [];
  const tokens = parser.parse(markdown, {});
  for (const [index, token] of tokens.entries()) {
    if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
    const [startLine, endLine] = token.map;
    const block: MarkdownBlock = { startLine, endLine };
    if (token.type === 'fence')
      block.fence = { info: token.info.trim(), code: token.content.replace(/\n$/, '') };
    if (token.type === 'blockquote_open') {
      const head = (lines[startLine] ?? '').replace(/^ {0,3}> ?/, '').trimEnd();
      if (/^\[![A-Z]+\]/.test(head)) block.alert = head;
    }
    if (token.type === 'table_open') block.table = tableCells(tokens, index);
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      block.list = {
        ordered: token.type === 'ordered_list_open',
        start: Number(token.attrGet('start') ?? 1),
        items: listItems(tokens, index, lines),
      };
    }
    blocks.push(block);
  }
  return blocks;
}

/** The content of each item of the list that opens at `tokens[open]`, without its marker and indent. */
function listItems(tokens: Token[], open: number, lines: string[]): string[] {
  const items: string[] = [];
  const level = (tokens[open] as Token).level + 1;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.level < level) break;
    if (token.type !== 'list_item_open' || token.level !== level || !token.map) continue;
    const [first = '', ...rest] = lines.slice(token.map[0], token.map[1]);
    // The marker and the spaces after it (one only when more would make the content indented code).
    const marker = /^ *(?:[-*+]|\d{1,9}[.)])(?: {1,4}(?! )| |[ \t]*$)/.exec(first)?.[0] ?? '';
    const indent = new RegExp(`^ {0,${marker.length}}`);
    const content = [first.slice(marker.length), ...rest.map((line) => line.replace(indent, ''))].join('\n');
    items.push(content.replace(/^(?:[ \t]*\n)+/, '').trimEnd());
  }
  return items;
}

/** The cells' inline Markdown, row by row, of the table that opens at `tokens[open]`. */
function tableCells(tokens: Token[], open: number): string[][] {
  const rows: string[][] = [];
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === 'table_close') break;
    if (token.type === 'tr_open') rows.push([]);
    else if (token.type === 'inline') rows.at(-1)?.push(token.content);
  }
  return rows;
}

interface Node {
  token: Token;
  children: Node[];
}

/** markdown-it's flat token stream as a tree: each opening token holds what it encloses. */
function tree(tokens: Token[]): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  for (const token of tokens) {
    const level = stack.at(-1) as Node[];
    if (token.nesting === 1) {
      const node = { token, children: [] };
      level.push(node);
      stack.push(node.children);
    } else if (token.nesting === -1) stack.pop();
    else level.push({ token, children: token.children ? tree(token.children) : [] });
  }
  return root;
}

class Writer {
  #taskId = 0;
  readonly #siteUrl: string | undefined;
  readonly #code: (code: string) => string;

  constructor(siteUrl: string | undefined, code: (code: string) => string) {
    this.#siteUrl = siteUrl?.replace(/\/+$/, '');
    this.#code = code;
  }

  blocks(nodes: Node[]): string {
    return nodes.map((node) => this.block(node)).join('');
  }

  block(node: Node): string {
    const { token, children } = node;
    switch (token.type) {
      case 'paragraph_open':
        return token.hidden ? this.blocks(children) : `<p>${this.blocks(children)}</p>`;
      case 'inline':
        return this.inline(children);
      case 'heading_open':
        return `<${token.tag}>${this.blocks(children)}</${token.tag}>`;
      case 'bullet_list_open':
        return this.taskList(children) ?? `<ul>${this.blocks(children)}</ul>`;
      case 'ordered_list_open': {
        const start = Number(token.attrGet('start') ?? 1);
        return `<ol${start === 1 ? '' : ` start="${start}"`}>${this.blocks(children)}</ol>`;
      }
      case 'list_item_open':
        return `<li>${this.blocks(children)}</li>`;
      case 'blockquote_open':
        return this.quote(children);
      case 'fence':
      case 'code_block':
        return codeMacro(this.#code(token.content.replace(/\n$/, '')), token.info);
      case 'hr':
        return '<hr/>';
      case 'table_open':
        return `<table><tbody>${this.rows(children)}</tbody></table>`;
      default:
        return this.blocks(children);
    }
  }

  rows(nodes: Node[]): string {
    let rows = '';
    for (const section of nodes) {
      for (const row of section.children) {
        rows += `<tr>${row.children.map((cell) => `<${cell.token.tag}>${this.blocks(cell.children)}</${cell.token.tag}>`).join('')}</tr>`;
      }
    }
    return rows;
  }

  /** A quote whose first line is `[!INFO] Title` (GitHub's alert syntax) is a panel macro. */
  quote(children: Node[]): string {
    const first = children[0];
    const inline = first?.token.type === 'paragraph_open' ? first.children[0] : undefined;
    const lead = inline?.children[0];
    const alert = lead?.token.type === 'text' ? /^\[!([A-Z]+)\]( +(.*))?$/.exec(lead.token.content) : null;
    const macro = alert ? PANEL_MACROS[alert[1] as string] : undefined;
    if (!alert || !macro || !inline || !first) return `<blockquote>${this.blocks(children)}</blockquote>`;
    // The title runs to the end of the first line; the rest of that paragraph is the body's first.
    const breakAt = inline.children.findIndex(
      (n) => n.token.type === 'softbreak' || n.token.type === 'hardbreak',
    );
    const titleNodes = breakAt === -1 ? inline.children.slice(1) : inline.children.slice(1, breakAt);
    const rest = breakAt === -1 ? [] : inline.children.slice(breakAt + 1);
    const title = (alert[3] ?? '') + titleNodes.map((n) => plainText(n)).join('');
    const body = (rest.length > 0 ? `<p>${this.inline(rest)}</p>` : '') + this.blocks(children.slice(1));
    const titleParameter =
      title.trim() === '' ? '' : `<ac:parameter ac:name="title">${escapeText(title.trim())}</ac:parameter>`;
    return `<ac:structured-macro ac:name="${macro}" ac:schema-version="1">${titleParameter}<ac:rich-text-body>${body}</ac:rich-text-body></ac:structured-macro>`;
  }

  /** A bullet list whose every item starts with `[ ]` or `[x]` is a task list. */
  taskList(items: Node[]): string | undefined {
    const states = items.map((item) => {
      const inline = item.children[0]?.children[0];
      const lead = inline?.children[0]?.token;
      return lead?.type === 'text' ? /^\[([ xX])\](?: |$)/.exec(lead.content) : null;
    });
    if (items.length === 0 || states.some((state) => state === null)) return undefined;
    const tasks = items.map((item, index) => {
      const inline = item.children[0]?.children[0] as Node;
      const lead = inline.children[0]?.token as Token;
      lead.content = lead.content.replace(/^\[[ xX]\] ?/, '');
      const status = (states[index] as RegExpExecArray)[1] === ' ' ? 'incomplete' : 'complete';
      this.#taskId += 1;
      return `<ac:task><ac:task-id>${this.#taskId}</ac:task-id><ac:task-status>${status}</ac:task-status><ac:task-body>${this.blocks(item.children)}</ac:task-body></ac:task>`;
    });
    return `<ac:task-list>${tasks.join('')}</ac:task-list>`;
  }

  inline(nodes: Node[]): string {
    let out = '';
    for (const node of nodes) {
      const { token, children } = node;
      switch (token.type) {
        case 'text':
          out += inlineForms(escapeText(token.content));
          break;
        case 'softbreak':
          out += ' ';
          break;
        case 'hardbreak':
          out += '<br/>';
          break;
        case 'code_inline':
          out += `<code>${escapeText(this.#code(token.content))}</code>`;
          break;
        case 'strong_open':
          out += `<strong>${this.inline(children)}</strong>`;
          break;
        case 'em_open':
          out += `<em>${this.inline(children)}</em>`;
          break;
        case 's_open':
          out += `<del>${this.inline(children)}</del>`;
          break;
        case 'link_open':
          out += this.link(String(token.attrGet('href') ?? ''), children);
          break;
        case 'image':
          out += image(String(token.attrGet('src') ?? ''), children.map(plainText).join(''));
          break;
        default:
          out += this.inline(children);
      }
    }
    return out;
  }

  link(href: string, children: Node[]): string {
    const target = this.linkTarget(href);
    if (target === undefined) return `<a href="${escapeAttribute(href)}">${this.inline(children)}</a>`;
    const plain = children.every((n) => n.token.type === 'text');
    const body = plain
      ? `<ac:plain-text-link-body>${cdata(children.map(plainText).join(''))}</ac:plain-text-link-body>`
      : `<ac:link-body>${this.inline(children)}</ac:link-body>`;
    return `<ac:link${target.anchor}>${target.resource}${body}</ac:link>`;
  }

  /** The `ri:` resource a link names: a page (page:Title, page:/KEY/Title, a page URL) or an attachment. */
  linkTarget(href: string): { resource: string; anchor: string } | undefined {
    const hash = href.indexOf('#');
    const anchor = hash === -1 ? '' : ` ac:anchor="${escapeAttribute(safeDecode(href.slice(hash + 1)))}"`;
    const path = safeDecode(hash === -1 ? href : href.slice(0, hash));
    if (path.startsWith('attachment:')) {
      return { resource: `<ri:attachment ri:filename="${escapeAttribute(path.slice(11))}"/>`, anchor };
    }
    let space: string | undefined;
    let title: string | undefined;
    const page = /^page:(?:\/([^/]+)\/)?(.+)$/.exec(path);
    if (page) [, space, title] = page;
    const site = this.#siteUrl;
    if (!page && site !== undefined && path.startsWith(`${site}/wiki/`)) {
      const url = /^\/wiki\/spaces\/([^/]+)\/pages\/\d+\/([^/?]+)/.exec(path.slice(site.length));
      if (url) [, space, title] = [url[0], url[1], (url[2] as string).replace(/\+/g, ' ')];
    }
    if (title === undefined) return undefined;
    const spaceAttribute = space === undefined ? '' : ` ri:space-key="${escapeAttribute(space)}"`;
    return { resource: `<ri:page${spaceAttribute} ri:content-title="${escapeAttribute(title)}"/>`, anchor };
  }
}

function image(src: string, alt: string): string {
  const altAttribute = alt === '' ? '' : ` ac:alt="${escapeAttribute(alt)}"`;
  const resource = src.startsWith('attachment:')
    ? `<ri:attachment ri:filename="${escapeAttribute(safeDecode(src.slice(11)))}"/>`
    : `<ri:url ri:value="${escapeAttribute(src)}"/>`;
  return `<ac:image${altAttribute}>${resource}</ac:image>`;
}

/**
 * A code macro from a fence's info string: the language, then any `name="value"` parameters; a
 * `noformat` fence is a noformat macro.
 */
function codeMacro(code: string, info: string): string {
  const language = /^[^\s"=]+(?=\s|$)/.exec(info.trim())?.[0] ?? '';
  const macro = language === 'noformat' ? 'noformat' : 'code';
  let parameters =
    language === '' || macro === 'noformat'
      ? ''
      : `<ac:parameter ac:name="language">${escapeText(language)}</ac:parameter>`;
  for (const [, name, value] of info.matchAll(/(\w+)="([^"]*)"/g)) {
    parameters += `<ac:parameter ac:name="${name}">${escapeText(value as string)}</ac:parameter>`;
  }
  return `<ac:structured-macro ac:name="${macro}" ac:schema-version="1">${parameters}<ac:plain-text-body>${cdata(code)}</ac:plain-text-body></ac:structured-macro>`;
}

/** The readable forms the reader writes for a mention, a date and a status, in (escaped) text. */
function inlineForms(text: string): string {
  return text
    .replace(/@user:([\w:-]+)/g, (_, id) => `<ac:link><ri:user ri:account-id="${id}"/></ac:link>`)
    .replace(/\[date: (\d{4}-\d{2}-\d{2})\]/g, (_, date) => `<time datetime="${date}"/>`)
    .replace(/\[status: ([^\]]*?)(?: \((\w+)\))?\]/g, (_, title: string, colour?: string) => {
      const colourParameter = colour
        ? `<ac:parameter ac:name="colour">${colour[0]?.toUpperCase()}${colour.slice(1)}</ac:parameter>`
        : '';
      return `<ac:structured-macro ac:name="status" ac:schema-version="1">${colourParameter}<ac:parameter ac:name="title">${title}</ac:parameter></ac:structured-macro>`;
    });
}

function plainText(node: Node): string {
  return node.token.type === 'text' || node.token.type === 'code_inline'
    ? node.token.content
    : node.children.map(plainText).join('');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
