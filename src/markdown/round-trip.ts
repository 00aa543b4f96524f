import { type Lost, lostElements } from './loss.ts';
import { FenceTracker } from './markers.ts';
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
 * macro bodies, list items). At each level, every block whose Markdown reappears unchanged in the
 * new text is written back as its original bytes; a container found again (by its marker lines; a
 * panel by its quote's first line, a fenced body by its info string, a GFM table by its shape, a
 * list by its kind) keeps its wrapper's bytes and has each slot merged the same way; only the text
 * left over (what the agent added or edited) is converted, and inside it each kept element (a
 * mention, an image, a macro placeholder) found by its Markdown form becomes its original bytes
 * again.
 */

export interface MergeResult {
  storage: string;
  /** The storage is the current one, byte for byte: nothing to write. */
  unchanged: boolean;
  /** What Markdown cannot rebuild that the current body has and the new Markdown does not. */
  lost: Lost[];
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
  /** The last task id given to a new task. */
  #taskId: number | undefined;

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
   * Edited or new text between unchanged blocks, read block by block: a block that reads as one of
   * the level's blocks did is that block; a panel quote, a fenced block, a GFM table or a list that
   * matches one of the level's containers is that container, edited: its wrapper stays and its
   * slots are merged. The rest is converted, kept elements put back.
   */
  gap(text: string, blocks: Block[], used: Set<Block>): string {
    if (text.trim() === '') return '';
    if (!blocks.some((block) => !used.has(block) && block.container?.syntax !== 'marker'))
      return this.convert(text);
    const lines = text.split('\n');
    let storage = '';
    let line = 0;
    for (const part of markdownBlocks(text)) {
      const partText = lines.slice(part.startLine, part.endLine).join('\n').trimEnd();
      const block = this.nativeMatch(part, partText, blocks, used);
      if (block === undefined) continue;
      used.add(block);
      storage += this.convert(lines.slice(line, part.startLine).join('\n'));
      line = part.endLine;
      const container = block.container;
      // A block that reads as it did (a list right under an item's line, missed above) keeps its bytes.
      if (container === undefined || partText === block.markdown) {
        storage += this.#source.slice(block.start, block.end);
        if (container) this.#used.add(container);
        continue;
      }
      this.#used.add(container);
      const written =
        container.syntax === 'list' || container.syntax === 'tasks'
          ? this.list(container, part.list?.items ?? [])
          : this.write(
              container,
              part.table
                ? new Map(part.table.flat().map((cell, index) => [index, cell]))
                : new Map([[0, this.bodyText(part, lines)]]),
            );
      storage +=
        this.#source.slice(block.start, container.start) +
        written +
        this.#source.slice(container.end, block.end);
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
   * The level's unused block the part is: one that read exactly as the part does; else a panel
   * with the same quote head, a plain-text macro with the same fence info string, a table of the
   * same shape with at least half its cells unchanged, a list of the same kind (numbered from the
   * same number), or a task list when every item has a box.
   */
  nativeMatch(part: MarkdownBlock, text: string, blocks: Block[], used: Set<Block>): Block | undefined {
    const free = (block: Block, syntax: Container['syntax']) =>
      !used.has(block) && block.container?.syntax === syntax && !this.#used.has(block.container);
    const same = blocks.find(
      (block) =>
        !used.has(block) && block.markdown === text && !(block.container && this.#used.has(block.container)),
    );
    if (same !== undefined) return same;
    if (part.list) {
      const { ordered, start, items } = part.list;
      if (!ordered && items.length > 0 && items.every((item) => TASK.test(item)))
        return blocks.find((block) => free(block, 'tasks'));
      return blocks.find((block) => {
        const first = block.container?.slots[0]?.marker ?? '';
        return free(block, 'list') && (ordered ? first === `${start}. ` : first === '- ');
      });
    }
    if (part.table) {
      const cells = part.table;
      return blocks.find((block) => free(block, 'grid') && sameTable(this.cells(block), cells));
    }
    const head = part.fence?.info ?? part.alert;
    if (head === undefined) return undefined;
    const syntax = part.fence ? 'fence' : 'alert';
    return blocks.find((block) => free(block, syntax) && block.container?.slots[0]?.marker === head);
  }

  /**
   * A list read with these items: items are paired with the items read (the same text first, then
   * in order between those), a paired item keeps its `<li>` and has its content merged, a new one
   * is converted, one no longer there is left out; the list's own bytes and the spacing between
   * items that stay neighbours are kept.
   */
  list(container: Container, items: string[]): string {
    const source = this.#source;
    const slots = container.slots;
    const tasks = container.syntax === 'tasks';
    // A task's text is its body; its box, [ ] or [x], is its status.
    const bodies = tasks ? items.map(taskBody) : items;
    const pairs = pairItems(
      slots.map((slot) => slot.markdown),
      bodies,
    );
    const span = (slot: Slot) => slot.item as { start: number; end: number };
    let storage = source.slice(container.start, span(slots[0] as Slot).start);
    let previous = -2;
    for (const [index, text] of bodies.entries()) {
      const paired = pairs[index] as number;
      const complete = tasks && /^\[[xX]\]/.test(items[index] as string);
      if (paired === -1) {
        storage += tasks ? this.task(text, complete) : `<li>${this.item(text)}</li>`;
        previous = -2;
        continue;
      }
      const slot = slots[paired] as Slot;
      if (paired === previous + 1)
        storage += source.slice(span(slots[previous] as Slot).end, span(slot).start);
      // An item of one block is written as a list item anew; one of several blocks is merged block by block.
      const simple = slot.blocks.length <= 1 && slot.blocks[0]?.container === undefined;
      const content =
        text === slot.markdown
          ? source.slice(slot.start, slot.end)
          : simple
            ? this.item(text)
            : this.level(text, slot.blocks, slot.start, slot.end);
      let head = source.slice(span(slot).start, slot.start);
      if (slot.status && complete !== (slot.marker === '- [x] ')) {
        // Only the status text changes: the task's id, uuid and every other byte stay.
        const at = slot.status.start - span(slot).start;
        head = `${head.slice(0, at)}${complete ? 'complete' : 'incomplete'}${head.slice(slot.status.end - span(slot).start)}`;
      }
      storage += head + content + source.slice(slot.end, span(slot).end);
      previous = paired;
    }
    return storage + source.slice(span(slots.at(-1) as Slot).end, container.end);
  }

  /** An item's content as a tight list item holds it: a lone paragraph without `<p>`. */
  item(text: string): string {
    const storage = this.convert(`- ${text.replace(/\n(?!\n)/g, '\n  ')}`);
    return storage.startsWith('<ul><li>') && storage.endsWith('</li></ul>')
      ? storage.slice('<ul><li>'.length, -'</li></ul>'.length)
      : this.convert(text);
  }

  /** A new task, numbered after every task id the page has. */
  task(text: string, complete: boolean): string {
    this.#taskId ??= Math.max(
      0,
      ...[...this.#source.matchAll(/<ac:task-id>(\d+)<\/ac:task-id>/g)].map((m) => Number(m[1])),
    );
    this.#taskId += 1;
    return `<ac:task><ac:task-id>${this.#taskId}</ac:task-id><ac:task-status>${complete ? 'complete' : 'incomplete'}</ac:task-status><ac:task-body>${this.item(text)}</ac:task-body></ac:task>`;
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

/** A task list item's box: `[ ] ` or `[x] `. */
const TASK = /^\[[ xX]\](?: |$)/;

/** A task item's text without its box, its later lines without the box's indent. */
function taskBody(item: string): string {
  const [first = '', ...rest] = item.split('\n');
  return [first.replace(TASK, ''), ...rest.map((line) => line.replace(/^ {0,4}/, ''))].join('\n');
}

/**
 * For each item written, the index of the item read it stands for, or -1 for a new item: items
 * whose text is unchanged pair up first (in order, the longest such run), the items between two
 * such pairs then pair in order, one for one.
 */
function pairItems(read: string[], written: string[]): number[] {
  const n = read.length;
  const m = written.length;
  // The longest common subsequence of unchanged items, by dynamic programming from the end.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const length = (i: number, j: number) => lengths[i * (m + 1) + j] as number;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        read[i] === written[j] ? length(i + 1, j + 1) + 1 : Math.max(length(i + 1, j), length(i, j + 1));
    }
  }
  const pairs = new Array<number>(m).fill(-1);
  let i = 0;
  let j = 0;
  let gapRead = 0;
  let gapWritten = 0;
  const pairGap = () => {
    for (let k = 0; k < Math.min(i - gapRead, j - gapWritten); k++) pairs[gapWritten + k] = gapRead + k;
  };
  while (i < n && j < m) {
    if (read[i] === written[j]) {
      pairGap();
      pairs[j] = i;
      i++;
      j++;
      gapRead = i;
      gapWritten = j;
    } else if (length(i + 1, j) >= length(i, j + 1)) i++;
    else j++;
  }
  i = n;
  j = m;
  pairGap();
  return pairs;
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
