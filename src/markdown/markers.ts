import { escapeAttribute } from './xml.ts';

/**
 * Marker lines in Markdown written fresh. A layout and a table Markdown cannot hold read as marker
 * lines (`[[layout section 2 of 3: two_equal, cell 1 of 2]]` … `[[/layout]]`,
 * `[[table row 1 of 4, cell 2 of 2, spans 2 columns]]` … `[[/table]]`); Markdown that carries them
 * into a new page (a copy of a page, a new layout an agent writes) becomes that layout or table,
 * each cell's Markdown converted on its own. A marker line stands alone at the start of its line,
 * outside fenced code; a layout or table whose closing line is missing stays text.
 */

/** Follows fenced code blocks line by line, so marker-like lines inside them stay code. */
export class FenceTracker {
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

const LAYOUT_CELL = /^\[\[layout section (\d+) of \d+: ([a-z_]+), cell \d+ of \d+(?: #\d+)?\]\]$/;
const TABLE_CELL =
  /^\[\[table row (\d+) of \d+, cell (\d+) of \d+((?:, spans \d+ (?:rows|columns))*)(?: #\d+)?\]\]$/;

interface Cell {
  /** Its marker line. */
  marker: string;
  /** The layout section or table row the cell belongs to. */
  group: number;
  /** Layout: the section type; table: the cell's rowspan and colspan attributes. */
  detail: string;
  parts: Part[];
}

interface Grid {
  kind: 'layout' | 'table';
  cells: Cell[];
  closed: boolean;
}

/** A line of text, or a grid. */
type Part = string | Grid;

/**
 * Storage for Markdown that may hold layout and table markers: the grids they mark are built, every
 * other stretch (and each cell's content) goes through `convert`.
 */
export function writeGrids(markdown: string, convert: (markdown: string) => string): string {
  if (!markdown.includes('[[layout section ') && !markdown.includes('[[table row ')) return convert(markdown);
  const root: Part[] = [];
  const stack: Grid[] = [];
  const fences = new FenceTracker();
  const add = (part: Part) => ((stack.at(-1)?.cells.at(-1)?.parts ?? root) as Part[]).push(part);
  for (const line of markdown.split('\n')) {
    if (fences.inFence(line)) {
      add(line);
      continue;
    }
    const layout = LAYOUT_CELL.exec(line);
    const table = TABLE_CELL.exec(line);
    const top = stack.at(-1);
    if (layout || table) {
      const kind = layout ? 'layout' : 'table';
      const group = Number((layout ?? table)?.[1]);
      const detail = layout ? (layout[2] as string) : spanAttributes((table as RegExpExecArray)[3] as string);
      const cell: Cell = { marker: line, group, detail, parts: [] };
      // A table's first cell inside an open table starts a table nested in that cell.
      const nested = kind === 'table' && top?.kind === 'table' && table?.[1] === '1' && table[2] === '1';
      if (top?.kind === kind && !nested) top.cells.push(cell);
      else {
        const grid: Grid = { kind, cells: [cell], closed: false };
        add(grid);
        stack.push(grid);
      }
      continue;
    }
    if (top !== undefined && line === `[[/${top.kind}]]`) {
      top.closed = true;
      stack.pop();
      continue;
    }
    add(line);
  }
  return render(root, convert);
}

/** Text stretches converted, closed grids built; a grid that never closed is its lines again. */
function render(parts: Part[], convert: (markdown: string) => string): string {
  let storage = '';
  let text: string[] = [];
  const flush = () => {
    if (text.some((line) => line.trim() !== '')) storage += convert(text.join('\n'));
    text = [];
  };
  const unroll = (part: Part) => {
    if (typeof part === 'string') text.push(part);
    else if (part.closed) {
      flush();
      storage += part.kind === 'layout' ? layoutStorage(part, convert) : tableStorage(part, convert);
    } else for (const cell of part.cells) for (const inner of [cell.marker, ...cell.parts]) unroll(inner);
  };
  for (const part of parts) unroll(part);
  flush();
  return storage;
}

function layoutStorage(grid: Grid, convert: (markdown: string) => string): string {
  let storage = '<ac:layout>';
  let group: number | undefined;
  for (const cell of grid.cells) {
    if (cell.group !== group) {
      if (group !== undefined) storage += '</ac:layout-section>';
      storage += `<ac:layout-section ac:type="${escapeAttribute(cell.detail)}">`;
      group = cell.group;
    }
    storage += `<ac:layout-cell>${render(cell.parts, convert)}</ac:layout-cell>`;
  }
  return `${storage}</ac:layout-section></ac:layout>`;
}

function tableStorage(grid: Grid, convert: (markdown: string) => string): string {
  let storage = '<table><tbody>';
  let group: number | undefined;
  for (const cell of grid.cells) {
    if (cell.group !== group) {
      if (group !== undefined) storage += '</tr>';
      storage += '<tr>';
      group = cell.group;
    }
    storage += `<td${cell.detail}>${render(cell.parts, convert)}</td>`;
  }
  return `${storage}</tr></tbody></table>`;
}

/** `, spans 2 rows, spans 3 columns` → ` rowspan="2" colspan="3"`. */
function spanAttributes(spans: string): string {
  let attributes = '';
  for (const [, count, unit] of spans.matchAll(/spans (\d+) (rows|columns)/g))
    attributes += ` ${unit === 'rows' ? 'rowspan' : 'colspan'}="${count}"`;
  return attributes;
}
