import { type Block, renderStorage } from './to-markdown.ts';

/**
 * A page's sections: a heading and the blocks under it, up to the next heading of the same or a
 * higher level at its level, or the end of its level. Offsets are into the storage, so a section
 * can be replaced while every byte outside it stays as it was. Headings at the top of the page and
 * inside containers (layout cells, panels, macro bodies, table cells) start sections; a section
 * inside a container ends with it. Headings inside list items and plain quotes do not.
 */

export interface Section {
  /** The heading's text and level. */
  heading: { level: number; text: string };
  /** Where the heading element ends and the section's content starts. */
  contentStart: number;
  /** Where the section ends: the next heading of its level or higher, or the end of its level. */
  end: number;
}

export function sectionsOf(storage: string): Section[] {
  const sections: Section[] = [];
  const collect = (blocks: Block[], levelEnd: number) => {
    for (const [index, block] of blocks.entries()) {
      const heading = block.heading;
      if (heading) {
        const next = blocks
          .slice(index + 1)
          .find((later) => later.heading && later.heading.level <= heading.level);
        sections.push({ heading, contentStart: block.end, end: next?.start ?? levelEnd });
      }
      // Plain-text bodies and tables read as GFM hold no headings; list items start no sections.
      if (block.container === undefined || ['fence', 'grid', 'list'].includes(block.container.syntax))
        continue;
      for (const slot of block.container?.slots ?? []) collect(slot.blocks, slot.end);
    }
  };
  collect(renderStorage(storage).blocks, storage.length);
  return sections;
}

/** The sections whose heading is `wanted`: exact text first, else ignoring case, spacing and leading #s. */
export function matchSections(sections: Section[], wanted: string): Section[] {
  const exact = sections.filter((s) => s.heading.text === wanted);
  if (exact.length > 0) return exact;
  const normal = (text: string) =>
    text
      .replace(/^#+\s*/, '')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
  return sections.filter((s) => normal(s.heading.text) === normal(wanted));
}
