import {
  childElements,
  type ElementNode,
  firstChild,
  macroParameter,
  parseStorage,
  type StorageNode,
  textOf,
} from './xml.ts';

/**
 * Storage format → Markdown. What Markdown expresses faithfully (headings, paragraphs, emphasis,
 * code, links, lists, task lists, simple tables) is converted; the rest is kept: it is written as a
 * short readable form (an image, a mention, a status, or a `[[name: title]]` placeholder for a macro
 * with no body) and remembered with its exact source, so a write can put those bytes back
 * (round-trip.ts).
 *
 * Elements that wrap content are containers: their text is Markdown, their wrapper is kept.
 * - A layout reads as its cells in order, each opened by a marker line
 *   `[[layout section 2 of 3: two_equal, cell 1 of 2]]`, the whole closed by `[[/layout]]`.
 * - A table Markdown cannot hold (merged cells, blocks in cells) reads the same way, cell by cell:
 *   `[[table row 1 of 4, cell 2 of 2, spans 2 columns]]` … `[[/table]]`.
 * - A panel (info, note, warning, tip, panel, expand) reads as a `> [!INFO] Title` quote.
 * - Any other macro with a rich-text body reads as `[[name: title]]`, its body, `[[/name]]`.
 * - A macro with a plain-text body (code, noformat, a diagram's source) reads as a fenced block
 *   whose info string is the language or the macro's name.
 * - A table Markdown can hold reads as a GFM table; its cells are slots too, so an edit of one
 *   cell keeps the rest of the table's bytes.
 * Each marker is unique on its page, so a write finds each container again by it and writes back
 * the wrapper's bytes (attributes, parameters, ids) around its merged content.
 */

/** A block at one level (the page, or a container's slot): its Markdown and its source range. */
export interface Block {
  markdown: string;
  start: number;
  end: number;
  /** The heading level when the block is a heading, with its text. */
  heading?: { level: number; text: string };
  /** The container the block is, when it wraps content of its own. */
  container?: Container;
  /** A list nested in a list item, right under the line before it (no blank line between). */
  tight?: boolean;
}

/**
 * An element whose content reads as Markdown inside a wrapper that is kept: a layout, a complex
 * table, a macro with a body. Its slots are the content ranges (cells, the body); everything of
 * the element outside them is the wrapper.
 */
export interface Container {
  /** How the container reads: marker lines, a `> [!KIND]` quote, a fenced block, or a GFM table. */
  syntax: 'marker' | 'alert' | 'fence' | 'grid' | 'list' | 'tasks';
  /** What it is, for a reader: "layout", "table", "macro excerpt", "panel info", "macro plantuml". */
  label: string;
  start: number;
  end: number;
  slots: Slot[];
  /** Slots that stand or fall together (a layout section, a table row), with their source range. */
  groups: { start: number; end: number; slots: number[] }[];
  /** The closing marker line (marker syntax). */
  close: string;
}

export interface Slot {
  /** The line that opens the slot: a marker, the quote's `[!INFO] Title`, the fence's info string. */
  marker: string;
  /** The content's source range. */
  start: number;
  end: number;
  /** The content's blocks (none for a plain-text body). */
  blocks: Block[];
  /** The content's Markdown: the blocks joined, or a plain-text body's text. */
  markdown: string;
  /** A list item's `<li>` or a task's `<ac:task>`: the whole element's source range. */
  item?: { start: number; end: number };
  /** A task's status: the source range of the `ac:task-status` text. */
  status?: { start: number; end: number };
}

/** An element kept as is: its Markdown form (also the marker a write finds it by) and its source. */
export interface Kept {
  markdown: string;
  source: string;
  /** What it is, for a reader: "macro jira", "status", "layout"… */
  label: string;
  /** Markdown cannot rebuild it: a write that drops it loses content (content_loss). */
  guarded: boolean;
}

/** What a reading leaves opaque, by kind: `{kind: "macro jira", count: 2}`. */
export interface Omitted {
  kind: string;
  count: number;
}

export interface Rendering {
  markdown: string;
  blocks: Block[];
  kept: Kept[];
  /** Every container of the page, outermost first. */
  containers: Container[];
  omitted: Omitted[];
}

/** Renders a storage body as Markdown: for a reader, with no memory kept. */
export function storageToMarkdown(storage: string): string {
  return renderStorage(storage, false).markdown;
}

/** The Markdown of a storage body and what it leaves opaque (macros with no body, Jira queries). */
export function readMarkdown(storage: string): { markdown: string; omitted: Omitted[] } {
  const { markdown, omitted } = renderStorage(storage, false);
  return { markdown, omitted };
}

/** `forWrite` false: for a reader only, so what only a write needs (a GFM table's cells) is skipped. */
export function renderStorage(storage: string, forWrite = true): Rendering {
  const context = new Context(storage, forWrite);
  const blocks = context.level(parseStorage(storage), 0, storage.length);
  return {
    markdown: joinBlocks(blocks),
    blocks,
    kept: context.kept,
    containers: context.containers,
    omitted: [...context.omitted].map(([kind, count]) => ({ kind, count })),
  };
}

export function joinBlocks(blocks: Block[]): string {
  let markdown = '';
  for (const [index, block] of blocks.entries()) {
    markdown += index === 0 ? block.markdown : `${block.tight ? '\n' : '\n\n'}${block.markdown}`;
  }
  return markdown;
}

function headingOf(unit: StorageNode[]): Block['heading'] {
  const node = unit[0];
  if (unit.length !== 1 || node?.type !== 'element') return undefined;
  const level = /^h([1-6])$/.exec(node.name)?.[1];
  return level ? { level: Number(level), text: collapse(textOf(node)).trim() } : undefined;
}

const BLOCK_ELEMENTS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'table',
  'blockquote',
  'pre',
  'hr',
  'div',
  'section',
  'ac:task-list',
  'ac:layout',
  'ac:adf-extension',
  'ac:structured-macro',
  'ac:macro',
]);

const INLINE_MACROS = new Set(['status', 'anchor', 'jira', 'mention', 'emoticon']);

function isBlock(node: StorageNode): boolean {
  if (node.type !== 'element' || !BLOCK_ELEMENTS.has(node.name)) return false;
  if (node.name === 'ac:structured-macro' || node.name === 'ac:macro') {
    const name = node.attrs['ac:name'] ?? '';
    // A single Jira issue is inline; a Jira query (a table of issues) is a block.
    if (name === 'jira') return macroParameter(node, 'key') === undefined;
    return !INLINE_MACROS.has(name);
  }
  return true;
}

/** Groups nodes into blocks: each block element alone, runs of inline content together. */
function topLevelUnits(nodes: StorageNode[]): StorageNode[][] {
  const units: StorageNode[][] = [];
  let run: StorageNode[] = [];
  for (const node of nodes) {
    if (isBlock(node)) {
      if (run.length > 0) units.push(run);
      run = [];
      units.push([node]);
    } else run.push(node);
  }
  if (run.length > 0) units.push(run);
  return units;
}

const PANELS: Record<string, string> = {
  info: 'INFO',
  note: 'NOTE',
  warning: 'WARNING',
  tip: 'TIP',
  panel: 'PANEL',
  expand: 'EXPAND',
};

/** Lists that, nested in a list item, stay right under the item's line. */
const NESTED_LISTS = new Set(['ul', 'ol', 'ac:task-list']);

/** Inline macros that stand for nothing hidden: their placeholder is all there is to them. */
const TRANSPARENT_MACROS = new Set(['anchor']);

interface Rendered {
  markdown: string;
  container?: Container;
}

class Context {
  readonly kept: Kept[] = [];
  readonly containers: Container[] = [];
  readonly omitted = new Map<string, number>();
  readonly #byMarkdown = new Map<string, Kept>();
  readonly #ordinals = new Map<string, number>();
  readonly #source: string;
  /**
   * Above zero inside a plain quote or a div (and a list inside those): their Markdown is
   * rewritten as a whole when edited, so a container they hold shows as a placeholder, which keeps it.
   */
  #flat = 0;

  readonly #forWrite: boolean;

  constructor(source: string, forWrite: boolean) {
    this.#source = source;
    this.#forWrite = forWrite;
  }

  /** The blocks of one level (the page, a cell, a body) whose source runs from `from` to `to`. */
  level(nodes: StorageNode[], from: number, to: number, item = false): Block[] {
    const blocks: Block[] = [];
    let start = from;
    for (const unit of topLevelUnits(nodes)) {
      const end = (unit.at(-1) as StorageNode).end;
      const only = unit.length === 1 ? unit[0] : undefined;
      const rendered = only?.type === 'element' && isBlock(only) ? this.container(only) : undefined;
      const markdown = rendered ? rendered.markdown : this.block(unit);
      // A unit with no Markdown (blank text, an empty paragraph) travels with the block before it.
      if (markdown === '') {
        if (blocks.length === 0) continue;
        (blocks.at(-1) as Block).end = end;
      } else {
        const heading = headingOf(unit);
        // In a list item, a nested list stays right under the line it belongs to.
        const tight = item && blocks.length > 0 && only?.type === 'element' && NESTED_LISTS.has(only.name);
        blocks.push({
          markdown,
          start,
          end,
          ...(heading && { heading }),
          ...(rendered?.container && { container: rendered.container }),
          ...(tight && { tight }),
        });
      }
      start = end;
    }
    if (blocks.length > 0) {
      (blocks.at(-1) as Block).end = to;
      (blocks[0] as Block).start = from;
    }
    return blocks;
  }

  /** The element as a container, when it is one here. */
  container(node: ElementNode): Rendered | undefined {
    if (this.#flat > 0) return undefined;
    switch (node.name) {
      case 'ac:layout':
        return this.layout(node);
      case 'table': {
        const simple = this.simpleTable(node);
        if (simple === undefined) return this.tableContainer(node);
        const grid = this.#forWrite ? this.gridContainer(node) : undefined;
        return { markdown: simple, ...(grid && { container: grid }) };
      }
      case 'ac:structured-macro':
      case 'ac:macro':
        return this.macroContainer(node);
      case 'ac:adf-extension':
        return this.extensionContainer(node);
      case 'ul':
      case 'ol':
        return this.listContainer(node);
      case 'ac:task-list':
        return this.taskContainer(node);
      default:
        return undefined;
    }
  }

  /** Markdown for a sequence of nodes that form one block (or an inline run). */
  block(nodes: StorageNode[]): string {
    const node = nodes[0];
    if (nodes.length === 1 && node !== undefined && isBlock(node)) return this.element(node as ElementNode);
    return paragraph(this.inline(nodes));
  }

  /** Markdown for the children of a quote or a div, rewritten whole when edited. */
  blocks(nodes: StorageNode[]): string[] {
    this.#flat++;
    try {
      return topLevelUnits(nodes)
        .map((unit) => this.block(unit))
        .filter((markdown) => markdown !== '');
    } finally {
      this.#flat--;
    }
  }

  element(node: ElementNode): string {
    const name = node.name;
    const heading = /^h([1-6])$/.exec(name)?.[1];
    if (heading) {
      const text = this.inline(node.children)
        .replace(/ *\\\n */g, ' ')
        .trim();
      return text === '' ? '' : `${'#'.repeat(Number(heading))} ${text}`;
    }
    switch (name) {
      case 'p':
        return paragraph(this.inline(node.children));
      case 'ul':
      case 'ol':
        return this.list(node);
      case 'ac:task-list':
        return this.taskList(node);
      case 'table':
        return this.simpleTable(node) ?? this.complexTable(node);
      case 'blockquote':
        return quote(this.blocks(node.children).join('\n\n'));
      case 'pre':
        return fence(textOf(node), '');
      case 'hr':
        return '---';
      case 'div':
      case 'section':
        return this.blocks(node.children).join('\n\n');
      case 'ac:structured-macro':
      case 'ac:macro':
        return this.macro(node);
      case 'ac:layout':
        return this.placeholder(
          node,
          'layout',
          `${childElements(node, 'ac:layout-section').length} sections`,
        );
      default:
        return this.placeholder(node, name.replace(/^ac:/, ''), '');
    }
  }

  /** A macro where containers are not read (inside a quote or a div). */
  macro(node: ElementNode): string {
    const name = node.attrs['ac:name'] ?? 'macro';
    const plain = firstChild(node, 'ac:plain-text-body');
    if ((name === 'code' || name === 'noformat') && plain !== undefined)
      return fence(textOf(plain), fenceInfo(node));
    const panel = PANELS[name];
    const body = firstChild(node, 'ac:rich-text-body');
    if (panel !== undefined && body !== undefined) {
      const parameters = childElements(node, 'ac:parameter').filter((p) => p.attrs['ac:name'] !== 'title');
      if (parameters.length === 0)
        return quote(alertHead(node, panel, this.blocks(body.children).join('\n\n')));
    }
    return this.placeholder(node, name, macroTitle(node));
  }

  /** A macro with a body: a fence for a plain-text body, a quote for a panel, markers for the rest. */
  macroContainer(node: ElementNode): Rendered | undefined {
    const name = node.attrs['ac:name'] ?? 'macro';
    const body = firstChild(node, 'ac:rich-text-body');
    const plain = firstChild(node, 'ac:plain-text-body');
    if (body === undefined && plain !== undefined && hasContentRange(plain)) {
      const info = fenceInfo(node);
      const code = textOf(plain);
      const container = this.newContainer('fence', `macro ${name}`, node, '');
      container.slots.push({
        marker: info,
        start: plain.openEnd,
        end: plain.closeStart,
        blocks: [],
        markdown: code,
      });
      return { markdown: fence(code, info), container };
    }
    if (body === undefined || !hasContentRange(body)) return undefined;
    const panel = PANELS[name];
    if (panel !== undefined) {
      const head = alertHead(node, panel, '');
      const container = this.newContainer('alert', `panel ${name}`, node, '');
      const slot = this.slot(head, body);
      container.slots.push(slot);
      return { markdown: quote(slot.markdown === '' ? head : `${head}\n${slot.markdown}`), container };
    }
    const title = macroTitle(node);
    const marker = `[[${this.unique(`${name}${title === '' ? '' : `: ${title}`}`)}]]`;
    const container = this.newContainer('marker', `macro ${name}`, node, `[[/${name}]]`);
    container.slots.push(this.slot(marker, body));
    return { markdown: markerMarkdown(container), container };
  }

  /**
   * A node of the cloud editor with content of its own (a custom panel): its `ac:adf-content` reads
   * between markers; its attributes and its fallback (a copy for old readers) stay as they are.
   */
  extensionContainer(node: ElementNode): Rendered | undefined {
    const adf = firstChild(node, 'ac:adf-node');
    const content = adf && firstChild(adf, 'ac:adf-content');
    if (adf === undefined || content === undefined || !hasContentRange(content)) return undefined;
    const type = adf.attrs.type ?? 'extension';
    const title = childElements(adf, 'ac:adf-attribute')
      .map((attribute) => collapse(textOf(attribute)).trim())
      .find((value) => value !== '');
    const marker = `[[${this.unique(`${type}${title === undefined ? '' : `: ${title}`}`)}]]`;
    const container = this.newContainer('marker', `extension ${type}`, node, `[[/${type}]]`);
    container.slots.push(this.slot(marker, content));
    return { markdown: markerMarkdown(container), container };
  }

  /**
   * A list: each item is a slot whose content reads at a level of its own, so an edit of one item
   * keeps the list's and every other item's bytes, and what an item holds (a panel, a macro body)
   * reads as it does anywhere else.
   */
  listContainer(node: ElementNode): Rendered | undefined {
    const items = childElements(node);
    if (!items.every((item) => item.name === 'li' && hasContentRange(item))) return undefined;
    const ordered = node.name === 'ol';
    let number = Number(node.attrs.start ?? 1) || 1;
    const container = this.newContainer('list', 'list', node, '');
    const lines: string[] = [];
    for (const item of items) {
      const marker = ordered ? `${number++}. ` : '- ';
      const blocks = item.children.some(isBlock)
        ? this.level(item.children, item.openEnd, item.closeStart, true)
        : this.inlineLevel(item);
      const markdown = joinBlocks(blocks);
      container.slots.push({
        marker,
        start: item.openEnd,
        end: item.closeStart,
        blocks,
        markdown,
        item: { start: item.start, end: item.end },
      });
      lines.push(indentItem(marker, markdown));
    }
    return { markdown: lines.join('\n'), container };
  }

  /**
   * A task list: each task's body is a slot, as a list item's content is, so checking one task or
   * editing its text keeps every task's id, uuid and every other byte of the list.
   */
  taskContainer(node: ElementNode): Rendered | undefined {
    const tasks = childElements(node);
    const parts = tasks.map((task) => ({
      task,
      status: firstChild(task, 'ac:task-status'),
      body: firstChild(task, 'ac:task-body'),
    }));
    const readable = parts.every(
      ({ task, status, body }) =>
        task.name === 'ac:task' && status && hasContentRange(status) && body && hasContentRange(body),
    );
    if (tasks.length === 0 || !readable) return undefined;
    const container = this.newContainer('tasks', 'task list', node, '');
    const lines: string[] = [];
    for (const { task, status, body } of parts as {
      task: ElementNode;
      status: ElementNode;
      body: ElementNode;
    }[]) {
      const marker = textOf(status).trim() === 'complete' ? '- [x] ' : '- [ ] ';
      const blocks = body.children.some(isBlock)
        ? this.level(body.children, body.openEnd, body.closeStart, true)
        : this.inlineLevel(body);
      const markdown = joinBlocks(blocks);
      container.slots.push({
        marker,
        start: body.openEnd,
        end: body.closeStart,
        blocks,
        markdown,
        item: { start: task.start, end: task.end },
        status: { start: status.openEnd, end: status.closeStart },
      });
      lines.push(indentItem(marker, markdown));
    }
    return { markdown: lines.join('\n'), container };
  }

  /** The one paragraph of an element holding only inline content (most list items): as level() reads it. */
  inlineLevel(node: ElementNode): Block[] {
    const markdown = paragraph(this.inline(node.children));
    return markdown === '' ? [] : [{ markdown, start: node.openEnd, end: node.closeStart }];
  }

  /** A layout: its sections' cells in order, each under its marker. */
  layout(node: ElementNode): Rendered | undefined {
    const sections = childElements(node, 'ac:layout-section');
    const cells = sections.flatMap((section) => childElements(section, 'ac:layout-cell'));
    if (cells.length === 0 || !cells.every(hasContentRange)) return undefined;
    const container = this.newContainer('marker', 'layout', node, '[[/layout]]');
    for (const [s, section] of sections.entries()) {
      const type = section.attrs['ac:type'] ?? 'section';
      const sectionCells = childElements(section, 'ac:layout-cell');
      const group = { start: section.start, end: section.end, slots: [] as number[] };
      for (const [c, cell] of sectionCells.entries()) {
        const base = `layout section ${s + 1} of ${sections.length}: ${type}, cell ${c + 1} of ${sectionCells.length}`;
        group.slots.push(container.slots.length);
        container.slots.push(this.slot(`[[${this.unique(base)}]]`, cell));
      }
      container.groups.push(group);
    }
    return { markdown: markerMarkdown(container), container };
  }

  /**
   * A table read as GFM: its cells, row by row, so a write can change one cell's content and keep
   * the table's and every other cell's bytes (widths, header cells, paragraphs in cells, ids).
   */
  gridContainer(node: ElementNode): Container | undefined {
    const rows = tableRows(node);
    const contents = rows.map((row) => childElements(row).map(cellContentElement));
    if (!contents.every((row) => row.every(hasContentRange))) return undefined;
    const container = this.newContainer('grid', 'table', node, '');
    for (const [r, row] of rows.entries()) {
      const group = { start: row.start, end: row.end, slots: [] as number[] };
      for (const content of contents[r] as ElementNode[]) {
        group.slots.push(container.slots.length);
        container.slots.push({
          marker: '',
          start: content.openEnd,
          end: content.closeStart,
          blocks: [],
          markdown: '',
        });
      }
      container.groups.push(group);
    }
    return container;
  }

  /** A table Markdown cannot hold: its cells in order, each under its marker. */
  tableContainer(node: ElementNode): Rendered | undefined {
    const rows = tableRows(node);
    const cells = rows.flatMap((row) => childElements(row).filter(isCell));
    if (cells.length === 0 || !cells.every(hasContentRange)) return undefined;
    const container = this.newContainer('marker', 'table', node, '[[/table]]');
    for (const [r, row] of rows.entries()) {
      const rowCells = childElements(row).filter(isCell);
      const group = { start: row.start, end: row.end, slots: [] as number[] };
      for (const [c, cell] of rowCells.entries()) {
        const spans = ['rowspan', 'colspan']
          .map((span) => [span, Number(cell.attrs[span] ?? 1)] as const)
          .filter(([, count]) => count > 1)
          .map(([span, count]) => `, spans ${count} ${span === 'rowspan' ? 'rows' : 'columns'}`)
          .join('');
        const base = `table row ${r + 1} of ${rows.length}, cell ${c + 1} of ${rowCells.length}${spans}`;
        group.slots.push(container.slots.length);
        container.slots.push(this.slot(`[[${this.unique(base)}]]`, cell));
      }
      container.groups.push(group);
    }
    return { markdown: markerMarkdown(container), container };
  }

  newContainer(syntax: Container['syntax'], label: string, node: ElementNode, close: string): Container {
    const container: Container = {
      syntax,
      label,
      start: node.start,
      end: node.end,
      slots: [],
      groups: [],
      close,
    };
    this.containers.push(container);
    return container;
  }

  /** A slot holding the content of `node`, rendered as blocks of their own level. */
  slot(marker: string, node: ElementNode): Slot {
    const blocks = this.level(node.children, node.openEnd, node.closeStart);
    return { marker, start: node.openEnd, end: node.closeStart, blocks, markdown: joinBlocks(blocks) };
  }

  list(node: ElementNode): string {
    const ordered = node.name === 'ol';
    let number = Number(node.attrs.start ?? 1) || 1;
    const items: string[] = [];
    for (const item of childElements(node)) {
      if (item.name !== 'li') return this.placeholder(node, 'list', '');
      const marker = ordered ? `${number++}. ` : '- ';
      items.push(indentItem(marker, this.itemBlocks(item.children)));
    }
    return items.join('\n');
  }

  /** A list item's content: inline runs and nested lists stay tight; other blocks are separated. */
  itemBlocks(nodes: StorageNode[]): string {
    this.#flat++;
    try {
      let text = '';
      for (const unit of topLevelUnits(nodes)) {
        const markdown = this.block(unit);
        if (markdown === '') continue;
        const first = unit[0] as StorageNode;
        const nested = first.type === 'element' && NESTED_LISTS.has(first.name);
        text += text === '' ? markdown : `${nested ? '\n' : '\n\n'}${markdown}`;
      }
      return text;
    } finally {
      this.#flat--;
    }
  }

  taskList(node: ElementNode): string {
    const items: string[] = [];
    for (const task of childElements(node, 'ac:task')) {
      const status = textOf(firstChild(task, 'ac:task-status') ?? task).trim();
      const body = firstChild(task, 'ac:task-body');
      const text = body === undefined ? '' : this.itemBlocks(body.children);
      items.push(indentItem(status === 'complete' ? '- [x] ' : '- [ ] ', text));
    }
    return items.length === 0 ? '' : items.join('\n');
  }

  /** A GFM table, when every row has the same cells and every cell only inline content. */
  simpleTable(node: ElementNode): string | undefined {
    for (const child of childElements(node)) {
      if (!['tr', 'tbody', 'thead', 'tfoot', 'colgroup'].includes(child.name)) return undefined;
    }
    const cells = tableRows(node).map((row) => childElements(row));
    const width = cells[0]?.length ?? 0;
    const simple =
      width > 0 &&
      cells.every((row) => row.length === width && row.every((cell) => isCell(cell) && isSimpleCell(cell)));
    if (!simple) return undefined;
    const line = (row: ElementNode[]) =>
      `| ${row.map((cell) => this.inline(cellContent(cell)).trim()).join(' | ')} |`;
    const [head, ...body] = cells as [ElementNode[], ...ElementNode[][]];
    return [line(head), `|${' --- |'.repeat(width)}`, ...body.map(line)].join('\n');
  }

  complexTable(node: ElementNode): string {
    const rows = tableRows(node);
    const header = (rows[0] ? childElements(rows[0]) : []).map((cell) => collapse(textOf(cell)).trim());
    const title = `${rows.length} rows${header.length > 0 ? `: ${header.slice(0, 4).join(' | ')}` : ''}`;
    return this.placeholder(node, 'table', title);
  }

  inline(nodes: StorageNode[]): string {
    let text = '';
    for (const node of nodes)
      text += node.type === 'text' ? escapeInline(collapse(node.text)) : this.inlineElement(node);
    return text;
  }

  inlineElement(node: ElementNode): string {
    switch (node.name) {
      case 'strong':
      case 'b':
        return wrap('**', this.inline(node.children));
      case 'em':
      case 'i':
        return wrap('*', this.inline(node.children));
      case 'del':
      case 's':
        return wrap('~~', this.inline(node.children));
      case 'code':
        return codeSpan(collapse(textOf(node)));
      case 'br':
        return '\\\n';
      case 'a':
        return this.anchor(node);
      case 'ac:link':
        return this.link(node);
      case 'ac:image':
        return this.image(node);
      case 'ac:emoticon':
        return this.keep(node, emoticonForm(node), 'emoticon', true);
      case 'time':
        return this.keep(node, `[date: ${node.attrs.datetime ?? ''}]`, 'date', false);
      case 'ac:structured-macro':
      case 'ac:macro':
        return this.inlineMacro(node);
      case 'ac:placeholder':
        return this.keep(node, `[[placeholder: ${collapse(textOf(node)).trim()}]]`, 'placeholder', true);
      default:
        // Styling with no Markdown form (u, sup, span, inline comment markers): the text reads on.
        if (isBlock(node)) return this.element(node).replace(/\n+/g, ' ');
        return this.inline(node.children);
    }
  }

  anchor(node: ElementNode): string {
    const href = node.attrs.href ?? '';
    const text = this.inline(node.children).trim();
    if (href === '') return text;
    if (text === escapeInline(href) && /^https?:\/\/[^\s<>]+$/.test(href)) return `<${href}>`;
    return `[${text}](${destination(href)})`;
  }

  link(node: ElementNode): string {
    const body = firstChild(node, 'ac:plain-text-link-body') ?? firstChild(node, 'ac:link-body');
    const bodyText =
      body === undefined
        ? ''
        : body.name === 'ac:link-body'
          ? this.inline(body.children).trim()
          : escapeInline(collapse(textOf(body)).trim());
    const user = firstChild(node, 'ri:user');
    if (user !== undefined) {
      const id = user.attrs['ri:account-id'] ?? user.attrs['ri:userkey'] ?? user.attrs['ri:username'] ?? '';
      return this.keep(node, `@user:${id}`, 'mention', false);
    }
    const page = firstChild(node, 'ri:page') ?? firstChild(node, 'ri:blog-post');
    const attachment = firstChild(node, 'ri:attachment');
    const anchor = node.attrs['ac:anchor'];
    let href: string;
    let label: string;
    if (page !== undefined) {
      const title = page.attrs['ri:content-title'] ?? '';
      const space = page.attrs['ri:space-key'];
      href = `page:${space === undefined ? '' : `/${space}/`}${title}${anchor === undefined ? '' : `#${anchor}`}`;
      label = bodyText || escapeInline(title);
    } else if (attachment !== undefined) {
      const filename = attachment.attrs['ri:filename'] ?? '';
      href = `attachment:${filename}`;
      label = bodyText || escapeInline(filename);
    } else if (anchor !== undefined) {
      href = `#${anchor}`;
      label = bodyText || escapeInline(anchor);
    } else {
      return this.keep(node, `[[link: ${collapse(textOf(node)).trim()}]]`, 'link', true);
    }
    return this.keep(node, `[${label}](${destination(href)})`, 'link', false);
  }

  image(node: ElementNode): string {
    const attachment = firstChild(node, 'ri:attachment');
    const url = firstChild(node, 'ri:url');
    const src = attachment
      ? `attachment:${attachment.attrs['ri:filename'] ?? ''}`
      : (url?.attrs['ri:value'] ?? '');
    const caption = firstChild(node, 'ac:caption');
    const alt =
      node.attrs['ac:alt'] ?? node.attrs['ac:title'] ?? (caption ? collapse(textOf(caption)).trim() : '');
    return this.keep(node, `![${escapeInline(alt)}](${destination(src)})`, 'image', false);
  }

  inlineMacro(node: ElementNode): string {
    const name = node.attrs['ac:name'] ?? 'macro';
    if (name === 'status') {
      const title = macroParameter(node, 'title') ?? '';
      const colour = macroParameter(node, 'colour') ?? macroParameter(node, 'color');
      return this.keep(
        node,
        `[status: ${title}${colour ? ` (${colour.toLowerCase()})` : ''}]`,
        'status',
        false,
      );
    }
    if (!TRANSPARENT_MACROS.has(name)) this.omit(`macro ${name}`);
    return this.keep(node, `[[${name}: ${macroTitle(node)}]]`.replace(': ]]', ']]'), `macro ${name}`, true);
  }

  /** An element shown only by name: kept byte for byte, and counted as omitted. */
  placeholder(node: ElementNode, name: string, title: string): string {
    const label = name === 'layout' || name === 'table' ? name : `macro ${name}`;
    this.omit(label);
    return this.keep(node, `[[${this.unique(`${name}${title === '' ? '' : `: ${title}`}`)}]]`, label, true);
  }

  /** `base`, or `base #2` for its second use on the page: each marker names one element. */
  unique(base: string): string {
    const seen = (this.#ordinals.get(base) ?? 0) + 1;
    this.#ordinals.set(base, seen);
    return seen > 1 ? `${base} #${seen}` : base;
  }

  omit(kind: string): void {
    this.omitted.set(kind, (this.omitted.get(kind) ?? 0) + 1);
  }

  /** Remembers an element with no faithful Markdown form; the first source wins for a repeated form. */
  keep(node: ElementNode, markdown: string, label: string, guarded: boolean): string {
    if (!this.#byMarkdown.has(markdown)) {
      const kept = { markdown, source: this.#source.slice(node.start, node.end), label, guarded };
      this.#byMarkdown.set(markdown, kept);
      this.kept.push(kept);
    }
    return markdown;
  }
}

/** An emoticon as `:name:`: the emoji's own short name when the editor stored one (`:tada:`). */
function emoticonForm(node: ElementNode): string {
  const shortname = node.attrs['ac:emoji-shortname']?.replace(/^:|:$/g, '');
  return `:${shortname || node.attrs['ac:name'] || 'emoticon'}:`;
}

/** The rows of a table, directly under it or in its tbody, thead and tfoot. */
function tableRows(node: ElementNode): ElementNode[] {
  const rows: ElementNode[] = [];
  for (const child of childElements(node)) {
    if (child.name === 'tr') rows.push(child);
    else if (['tbody', 'thead', 'tfoot'].includes(child.name)) rows.push(...childElements(child, 'tr'));
  }
  return rows;
}

function isCell(node: ElementNode): boolean {
  return node.name === 'td' || node.name === 'th';
}

/** An element written with a closing tag, so content can go between its tags. */
function hasContentRange(node: ElementNode): boolean {
  return node.closeStart < node.end;
}

/** A container's Markdown in marker syntax: each slot's marker line and content, then the close. */
function markerMarkdown(container: Container): string {
  const parts: string[] = [];
  for (const slot of container.slots) {
    parts.push(slot.marker);
    if (slot.markdown !== '') parts.push(slot.markdown);
  }
  parts.push(container.close);
  return parts.join('\n\n');
}

/** A panel's first quote line, `[!INFO] Title`, and its content under it. */
function alertHead(node: ElementNode, kind: string, content: string): string {
  const title = collapse(macroParameter(node, 'title') ?? '').trim();
  const head = `[!${kind}]${title === '' ? '' : ` ${title}`}`;
  return content === '' ? head : `${head}\n${content}`;
}

/**
 * A plain-text body's fence info string: the code macro's language, or any other macro's name, then
 * the parameters as `name="value"` (`python title="main.py"`, `plantuml format="SVG"`).
 */
function fenceInfo(node: ElementNode): string {
  const name = node.attrs['ac:name'] ?? 'macro';
  const lead = name === 'code' ? (macroParameter(node, 'language') ?? '').replace(/\s+/g, '') : name;
  const parameters = childElements(node, 'ac:parameter')
    .filter(
      (p) =>
        !(name === 'code' && p.attrs['ac:name'] === 'language') && /^\w+$/.test(p.attrs['ac:name'] ?? ''),
    )
    .map((p) => ` ${p.attrs['ac:name']}="${collapse(textOf(p)).replace(/"/g, "'")}"`);
  return lead + parameters.join('');
}

function isSimpleCell(cell: ElementNode): boolean {
  if ((cell.attrs.colspan ?? '1') !== '1' || (cell.attrs.rowspan ?? '1') !== '1') return false;
  const content = cellContent(cell);
  return content.every((node) => !isBlock(node) && !(node.type === 'element' && node.name === 'br'));
}

/** A cell's inline content: its children, or those of its single paragraph. */
function cellContent(cell: ElementNode): StorageNode[] {
  return cellContentElement(cell).children;
}

/** The element whose children are a cell's inline content: its single paragraph, or the cell. */
function cellContentElement(cell: ElementNode): ElementNode {
  const elements = childElements(cell);
  const only = elements[0];
  const blank = cell.children.every((n) => n.type === 'element' || n.text.trim() === '');
  return elements.length === 1 && only?.name === 'p' && blank ? only : cell;
}

function macroTitle(node: ElementNode): string {
  const title =
    macroParameter(node, 'title') ?? macroParameter(node, 'key') ?? macroParameter(node, 'jqlQuery');
  if (title !== undefined) return collapse(title).trim();
  const page = node.children.length > 0 ? findDescendant(node, 'ri:page') : undefined;
  if (page) return page.attrs['ri:content-title'] ?? '';
  const first = childElements(node, 'ac:parameter')[0];
  return first === undefined ? '' : collapse(textOf(first)).trim().slice(0, 80);
}

function findDescendant(node: ElementNode, name: string): ElementNode | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.name === name) return child;
    const found = findDescendant(child, name);
    if (found) return found;
  }
  return undefined;
}

/** XHTML whitespace collapses: runs of spaces, tabs and line breaks read as one space. */
function collapse(text: string): string {
  // Most text has nothing to collapse: skip the copy (this runs on every text node).
  return /[\t\n\r\f]| {2}/.test(text) ? text.replace(/[ \t\n\r\f]+/g, ' ') : text;
}

function paragraph(inline: string): string {
  if (!/^[ \\#>=+\-\d]| {2}|\n| $/.test(inline)) return inline;
  const text = inline
    .replace(/ {2,}/g, ' ')
    .replace(/ *\\\n */g, '\\\n')
    .replace(/^(?:\\\n| )+|(?:\\\n| )+$/g, '');
  return text
    .split('\n')
    .map((line) => escapeLineStart(line))
    .join('\n');
}

/** Text that would start a heading, a list, a quote or a rule at the start of a line. */
function escapeLineStart(line: string): string {
  const match = /^(#{1,6}(?= |$)|[-+](?= |$)|>|={2,}|-{2,}|(\d{1,9})([.)])(?= |$))/.exec(line);
  if (!match) return line;
  if (match[2] !== undefined) return `${match[2]}\\${line.slice(match[2].length)}`;
  return `\\${line}`;
}

/** Markdown's inline syntax characters in text, escaped so they read back as text. */
export function escapeInline(text: string): string {
  if (!/[\\`*[\]~|_<&!]/.test(text)) return text;
  return text
    .replace(/[\\`*[\]~|]/g, '\\$&')
    .replace(/(^|[^\p{L}\p{N}])_|_(?=$|[^\p{L}\p{N}])/gu, (m) => m.replace('_', '\\_'))
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/!(?=\\\[)/g, '\\!');
}

function wrap(mark: string, inner: string): string {
  const content = inner.trim();
  if (content === '') return inner;
  const lead = /^\s*/.exec(inner)?.[0] ?? '';
  const trail = /\s*$/.exec(inner)?.[0] ?? '';
  return `${lead}${mark}${content}${mark}${trail}`;
}

function codeSpan(code: string): string {
  if (code === '') return '';
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(code) && code.trim() !== '' ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`;
}

function fence(code: string, language: string): string {
  const longest = Math.max(2, ...(code.match(/^`{3,}/gm) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${code}${code.endsWith('\n') || code === '' ? '' : '\n'}${ticks}`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

function indentItem(marker: string, text: string): string {
  if (!text.includes('\n')) return (marker + text).trimEnd();
  const pad = ' '.repeat(marker.length);
  const [first = '', ...rest] = text.split('\n');
  return [marker + first, ...rest.map((line) => (line === '' ? '' : pad + line))].join('\n').trimEnd();
}

/** A link destination, in angle brackets when it holds spaces or parentheses. */
function destination(href: string): string {
  return /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href;
}
