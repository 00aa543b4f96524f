import type { Rendering, Slot } from './to-markdown.ts';

/**
 * What a Markdown write would drop that Markdown cannot rebuild, for the content_loss check: a kept
 * element whose form is gone, a container's marker lines (a whole layout or table, a section, a row,
 * a cell, a macro body), a panel whose quote head appears fewer times than it did.
 */

/** An element a write would drop: what it is ("macro toc", "layout cell", "panel info") and its form. */
export interface Lost {
  label: string;
  markdown: string;
}

/**
 * What the new text no longer has: guarded kept elements whose form is gone, container slots
 * (layout cells, table cells, macro bodies) whose marker is gone, and panels whose quote head
 * appears fewer times than before.
 */
export function lostElements(current: Rendering, text: string): Lost[] {
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
