import {
  type Block,
  type Container,
  joinBlocks,
  type Rendering,
  renderStorage,
  type Slot,
} from './to-markdown.ts';
import { inlineToStorage, type MarkdownBlock, markdownBlocks, markdownToStorage } from './to-storage.ts';
import { cdata } from './xml.ts';

/**
 * Writing Markdown over a page that already has a body, losing nothing. The current storage is
 * rendered again (the same rendering the agent read), which gives each block's Markdown and its
 * exact source, level by level: the page, then each container's slots (layout cells, table cells,
 * macro bodies). At each level, every block whose Markdown reappears unchanged in the new text is
 * written back as its original bytes; a container found again by its marker (or, for a panel or a
 * fenced body, by its first line) keeps its wrapper's bytes and has each slot merged the same way;
 * only the text left over (what the agent added or edited) is converted, and inside it each kept
 * element (a mention, an image, a macro placeholder) found by its Markdown form becomes its
 * original bytes again.
 */

export interface MergeResult {
  storage: string;
  /** The storage is the current one, byte for byte: nothing to write. */
  unchanged: boolean;
  /** What Markdown cannot rebuild that the current body has and the new Markdown does not. */
  lost: Lost[];
}

/** An element a write would drop: what it is ("macro toc", "layout cell", "panel info") and its form. */
export interface Lost {
  label: string;
  markdown: string;
}

export function mergeMarkdown(markdown: string, currentStorage: string, siteUrl?: string): MergeResult {
  const current = renderStorage(currentStorage);
  const text = markdown.replace(/\r\n?/g, '\n').trimEnd();
  const lost = lostElements(current, text);
  if (text === current.markdown) return { storage: currentStorage, unchanged: true, lost };
  const merger = new Merger(currentStorage, current, siteUrl);
  const storage = merger.merge(text, current.blocks);
  return { storage, unchanged: storage === currentStorage, lost };
}

/** A stretch of one level's text: plain Markdown, or a container found by its markers. */
type Segment =
  | { type: 'text'; text: string }
  | { type: 'container'; container: Container; texts: Map<number, string>; raw: string };

class Merger {
  readonly #source: string;
  readonly #rendering: Rendering;
  readonly #siteUrl: string | undefined;
  /** Every slot marker of the page's marker containers: which container, which slot. */
  readonly #markers = new Map<string, { container: Container; slot: number }>();
  /** Containers already written once: a second copy of their markers is text. */
  readonly #used = new Set<Container>();
  /** The cells of the GFM tables read, by table. */
  readonly #cells = new Map<Container, string[][]>();

  constructor(source: string, rendering: Rendering, siteUrl: string | undefined) {
    this.#source = source;
    this.#rendering = rendering;
    this.#siteUrl = siteUrl;
    for (const container of rendering.containers) {
      if (container.syntax !== 'marker') continue;
      for (const [slot, { marker }] of container.slots.entries())
        this.#markers.set(marker, { container, slot });
    }
  }

  /** The storage for `text` over one level whose blocks span `[from, to)` of the source. */
  level(text: string, blocks: Block[], from: number, to: number): string {
    return text === joinBlocks(blocks) ? this.#source.slice(from, to) : this.merge(text, blocks);
  }

  /** The storage for a level's text that differs from what was read. */
  merge(text: string, blocks: Block[]): string {
    const used = new Set<Block>();
    let storage = '';
    for (const segment of this.split(text)) {
      storage +=
        segment.type === 'container'
          ? this.markerContainer(segment, blocks)
          : this.plain(segment.text, blocks, used);
    }
    return storage;
  }

  /** Plain text of a level: unchanged blocks found in order keep their bytes; the gaps are merged. */
  plain(text: string, blocks: Block[], used: Set<Block>): string {
    let storage = '';
    let at = 0;
    for (const block of blocks) {
      if (used.has(block) || block.container?.syntax === 'marker') continue;
      const found = findBlock(text, block.markdown, at);
      if (found === -1) continue;
      used.add(block);
      if (block.container) this.#used.add(block.container);
      storage += this.gap(text.slice(at, found), blocks, used) + this.#source.slice(block.start, block.end);
      at = found + block.markdown.length;
    }
    return storage + this.gap(text.slice(at), blocks, used);
  }

  /**
   * Edited or new text between unchanged blocks. A panel quote or a fenced block in it that matches
   * one of the level's panels or plain-text macros by its first line is that macro, edited: its
   * wrapper stays. The rest is converted, kept elements put back.
   */
  gap(text: string, blocks: Block[], used: Set<Block>): string {
    if (text.trim() === '') return '';
    const candidates = blocks.some(
      (block) => !used.has(block) && block.container !== undefined && block.container.syntax !== 'marker',
    );
    if (!candidates) return this.convert(text);
    const lines = text.split('\n');
    let storage = '';
    let line = 0;
    for (const part of markdownBlocks(text)) {
      const block = this.nativeMatch(part, blocks, used);
      if (block === undefined) continue;
      const container = block.container as Container;
      used.add(block);
      this.#used.add(container);
      const texts = part.table
        ? new Map(part.table.flat().map((cell, index) => [index, cell]))
        : new Map([[0, this.bodyText(part, lines)]]);
      storage +=
        this.convert(lines.slice(line, part.startLine).join('\n')) +
        this.#source.slice(block.start, container.start) +
        this.write(container, texts) +
        this.#source.slice(container.end, block.end);
      line = part.endLine;
    }
    return storage + this.convert(lines.slice(line).join('\n'));
  }

  /** A fence's code, or a panel quote's content under its first line, unquoted. */
  bodyText(part: MarkdownBlock, lines: string[]): string {
    return part.fence
      ? part.fence.code
      : trimBlank(
          lines
            .slice(part.startLine + 1, part.endLine)
            .map((l) => l.replace(/^ {0,3}> ?/, ''))
            .join('\n'),
        );
  }

  /**
   * The level's unused panel, plain-text macro or GFM table the part is: the same quote head, the
   * same fence info string, or a table of the same shape with at least half its cells unchanged.
   */
  nativeMatch(part: MarkdownBlock, blocks: Block[], used: Set<Block>): Block | undefined {
    const free = (block: Block, syntax: Container['syntax']) =>
      !used.has(block) && block.container?.syntax === syntax && !this.#used.has(block.container);
    if (part.table) {
      const cells = part.table;
      return blocks.find((block) => free(block, 'grid') && sameTable(this.cells(block), cells));
    }
    const head = part.fence?.info ?? part.alert;
    if (head === undefined) return undefined;
    const syntax = part.fence ? 'fence' : 'alert';
    return blocks.find((block) => free(block, syntax) && block.container?.slots[0]?.marker === head);
  }

  /** A GFM table block's cells as read, row by row. */
  cells(block: Block): string[][] {
    const container = block.container as Container;
    let cells = this.#cells.get(container);
    if (cells === undefined) {
      cells = markdownBlocks(block.markdown)[0]?.table ?? [];
      this.#cells.set(container, cells);
    }
    return cells;
  }

  /** A marker container: its own bytes when unchanged, else its wrapper around merged slots. */
  markerContainer(segment: Extract<Segment, { type: 'container' }>, blocks: Block[]): string {
    const { container, texts, raw } = segment;
    const block = blocks.find((b) => b.container === container);
    if (block !== undefined && raw === block.markdown) return this.#source.slice(block.start, block.end);
    const written = this.write(container, texts);
    if (block === undefined) return written;
    return (
      this.#source.slice(block.start, container.start) +
      written +
      this.#source.slice(container.end, block.end)
    );
  }

  /**
   * The container's wrapper with each slot's new content. A slot whose marker is gone is left
   * empty; a group (a layout section, a table row) none of whose markers remain is left out.
   */
  write(container: Container, texts: Map<number, string>): string {
    const source = this.#source;
    const groups =
      container.groups.length > 0
        ? container.groups
        : [{ start: container.start, end: container.end, slots: container.slots.map((_, i) => i) }];
    let storage = '';
    let at = container.start;
    for (const group of groups) {
      if (!group.slots.some((slot) => texts.has(slot))) {
        storage += source.slice(at, group.start);
        at = group.end;
        continue;
      }
      for (const index of group.slots) {
        const slot = container.slots[index] as Slot;
        const text = texts.get(index);
        storage +=
          source.slice(at, slot.start) + (text === undefined ? '' : this.slot(container, slot, text));
        at = slot.end;
      }
    }
    return storage + source.slice(at, container.end);
  }

  slot(container: Container, slot: Slot, text: string): string {
    if (container.syntax === 'fence')
      return text === slot.markdown ? this.#source.slice(slot.start, slot.end) : cdata(text);
    if (container.syntax === 'grid') {
      const read = this.#cells.get(container)?.flat()[container.slots.indexOf(slot)];
      return text === read
        ? this.#source.slice(slot.start, slot.end)
        : inlineToStorage(text, this.#options());
    }
    return this.level(text, slot.blocks, slot.start, slot.end);
  }

  convert(text: string): string {
    return text.trim() === '' ? '' : markdownToStorage(text, this.#options());
  }

  #options() {
    return { kept: this.#rendering.kept, ...(this.#siteUrl && { siteUrl: this.#siteUrl }) };
  }

  /** One level's text cut into plain stretches and the marker containers it holds (outside fences). */
  split(text: string): Segment[] {
    const lines = text.split('\n');
    const segments: Segment[] = [];
    const fences = new FenceTracker();
    // Blank lines around a container belong to neither side: a block after one starts the text.
    const pushText = (stretch: string[]) => {
      const text = trimBlank(stretch.join('\n'));
      if (text !== '') segments.push({ type: 'text', text });
    };
    let plainStart = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      // Only a fence line or a marker matters here: most lines start with neither.
      if (!/^\s*[`~[]/.test(line) || fences.inFence(line)) continue;
      const hit = this.#markers.get(line.trim());
      if (hit === undefined || this.#used.has(hit.container)) continue;
      pushText(lines.slice(plainStart, i));
      const end = this.containerEnd(lines, i, hit.container, hit.slot, segments);
      plainStart = end;
      i = end - 1;
    }
    pushText(lines.slice(plainStart));
    return segments;
  }

  /**
   * Reads the container that opens at line `first` (with the marker of slot `slot`) up to its
   * close: containers nested in its slots are followed, so their markers and closes are content.
   * Pushes the segment and returns the line after it (the end of the text when the close is gone).
   */
  containerEnd(
    lines: string[],
    first: number,
    container: Container,
    slot: number,
    segments: Segment[],
  ): number {
    this.#used.add(container);
    const texts = new Map<number, string>();
    const stack: Container[] = [container];
    const fences = new FenceTracker();
    let current = slot;
    let content: string[] = [];
    const save = () => {
      const previous = texts.get(current);
      const text = trimBlank(content.join('\n'));
      texts.set(current, previous === undefined ? text : `${previous}\n\n${text}`);
      content = [];
    };
    let i = first + 1;
    for (; i < lines.length; i++) {
      const line = lines[i] as string;
      if (fences.inFence(line)) {
        content.push(line);
        continue;
      }
      const trimmed = line.trim();
      const hit = this.#markers.get(trimmed);
      if (hit?.container === container) {
        stack.length = 1;
        save();
        current = hit.slot;
        continue;
      }
      if (stack.length === 1 && trimmed === container.close) {
        i++;
        break;
      }
      if (hit !== undefined && !stack.includes(hit.container)) stack.push(hit.container);
      else if (stack.length > 1 && trimmed === stack.at(-1)?.close) stack.pop();
      content.push(line);
    }
    save();
    segments.push({ type: 'container', container, texts, raw: lines.slice(first, i).join('\n') });
    return i;
  }
}

/** Follows fenced code blocks line by line, so marker-like lines inside them stay code. */
class FenceTracker {
  #open: string | undefined;

  /** True when the line is part of a fence (its opening and closing lines included). */
  inFence(line: string): boolean {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (this.#open === undefined) {
      if (
        marker === undefined ||
        (marker[0] === '`' && line.slice(line.indexOf(marker) + marker.length).includes('`'))
      )
        return false;
      this.#open = marker;
      return true;
    }
    if (
      marker !== undefined &&
      marker[0] === this.#open[0] &&
      marker.length >= this.#open.length &&
      line.trim() === marker
    )
      this.#open = undefined;
    return true;
  }
}

/** Two tables of the same rows and columns, at least half of whose cells read the same. */
function sameTable(read: string[][], written: string[][]): boolean {
  if (read.length !== written.length || read.some((row, r) => row.length !== written[r]?.length))
    return false;
  const cells = read.flat();
  const kept = written.flat().filter((cell, index) => cell === cells[index]).length;
  return kept * 2 >= cells.length;
}

/** Text without its leading blank lines and trailing whitespace. */
function trimBlank(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

/**
 * Where `block` stands alone in `text` from `from` on: at the start of a line, ended by a blank
 * line or the end, and with only whole blocks (ending in a blank line) before it since `from`.
 */
function findBlock(text: string, block: string, from: number): number {
  let at = text.indexOf(block, from);
  while (at !== -1) {
    const before = text.slice(from, at);
    const after = text.slice(at + block.length, at + block.length + 64);
    const startsBlock =
      at === from ? from === 0 || /\n\s*$/.test(text.slice(0, at)) : /\n[ \t]*\n\s*$/.test(before);
    const endsBlock = /^(?:[ \t]*\n[ \t]*\n|\s*$)/.test(after) || at + block.length === text.length;
    if (startsBlock && endsBlock) return at;
    at = text.indexOf(block, at + 1);
  }
  return -1;
}

/**
 * What the new text no longer has: guarded kept elements whose form is gone, container slots
 * (layout cells, table cells, macro bodies) whose marker is gone, and panels whose quote head
 * appears fewer times than before.
 */
function lostElements(current: Rendering, text: string): Lost[] {
  const lost: Lost[] = current.kept
    .filter((element) => element.guarded && !text.includes(element.markdown))
    .map(({ label, markdown }) => ({ label, markdown }));
  for (const container of current.containers) {
    if (container.syntax !== 'marker') continue;
    const gone = container.slots.map((slot) => !text.includes(slot.marker));
    if (!gone.includes(true)) continue;
    const first = (container.slots[0] as Slot).marker;
    if (!gone.includes(false)) {
      lost.push({ label: container.label, markdown: first });
      continue;
    }
    // A whole layout section or table row is named once; a single cell by its own marker.
    const groups =
      container.groups.length > 0 ? container.groups : [{ slots: container.slots.map((_, i) => i) }];
    for (const group of groups) {
      const missing = group.slots.filter((slot) => gone[slot]);
      if (missing.length === group.slots.length) {
        const marker = (container.slots[group.slots[0] as number] as Slot).marker;
        lost.push({
          label: container.label === 'layout' ? 'layout section' : `${container.label} row`,
          markdown: marker,
        });
      } else {
        const label = container.groups.length > 0 ? `${container.label} cell` : container.label;
        for (const slot of missing) lost.push({ label, markdown: (container.slots[slot] as Slot).marker });
      }
    }
  }
  const remaining = new Map<string, number>();
  for (const head of alertHeads(text)) remaining.set(head, (remaining.get(head) ?? 0) + 1);
  for (const head of alertHeads(current.markdown)) {
    const left = remaining.get(head) ?? 0;
    if (left > 0) remaining.set(head, left - 1);
    else
      lost.push({ label: `panel ${/^\[!([A-Z]+)\]/.exec(head)?.[1]?.toLowerCase()}`, markdown: `> ${head}` });
  }
  return lost;
}

/** The `[!INFO] Title` first lines of the panel quotes in a text, at any depth. */
function alertHeads(text: string): string[] {
  const heads: string[] = [];
  // Only lines holding "[!" can be heads: find those, then read each whole line.
  let at = text.indexOf('[!');
  while (at !== -1) {
    const start = text.lastIndexOf('\n', at) + 1;
    const end = text.indexOf('\n', at);
    const line = text.slice(start, end === -1 ? text.length : end);
    const head = /^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:>[ \t]?)+(\[![A-Z]+\].*?)[ \t]*$/.exec(line)?.[1];
    if (head !== undefined) heads.push(head);
    at = end === -1 ? -1 : text.indexOf('[!', end);
  }
  return heads;
}

/** A short list of what would be lost, for an error message: `macro toc "[[toc]]"`. */
export function describeLoss(lost: Lost[]): string {
  const named = lost.slice(0, 10).map((element) => `${element.label} ${element.markdown}`);
  return `${named.join(', ')}${lost.length > 10 ? ` and ${lost.length - 10} more` : ''}`;
}
