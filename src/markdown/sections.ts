import { type Block, type Omitted, renderStorage } from './to-markdown.ts';

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
  /** The length of the section's content as Markdown reads it (its blocks, joined as a read joins them). */
  markdownChars: number;
}

/** `forWrite` false when the sections are only read (renderStorage skips what only a write needs). */
export function sectionsOf(storage: string, forWrite = true): Section[] {
  return sectionsIn(renderStorage(storage, forWrite).blocks, storage.length);
}

/** A page read as its outline: its Markdown and its sections, from one rendering of the storage. */
export function readSections(storage: string): { markdown: string; omitted: Omitted[]; sections: Section[] } {
  const { markdown, omitted, blocks } = renderStorage(storage, false);
  return { markdown, omitted, sections: sectionsIn(blocks, storage.length) };
}

function sectionsIn(top: Block[], storageLength: number): Section[] {
  const sections: Section[] = [];
  const collect = (blocks: Block[], levelEnd: number) => {
    for (const [index, block] of blocks.entries()) {
      const heading = block.heading;
      if (heading) {
        let next = index + 1;
        let markdownChars = 0;
        for (; next < blocks.length; next++) {
          const later = blocks[next] as Block;
          if (later.heading && later.heading.level <= heading.level) break;
          markdownChars += (next === index + 1 ? 0 : later.tight ? 1 : 2) + later.markdown.length;
        }
        sections.push({
          heading,
          contentStart: block.end,
          end: blocks[next]?.start ?? levelEnd,
          markdownChars,
        });
      }
      // Plain-text bodies and tables read as GFM hold no headings; list items start no sections.
      if (block.container === undefined || ['fence', 'grid', 'list'].includes(block.container.syntax))
        continue;
      for (const slot of block.container?.slots ?? []) collect(slot.blocks, slot.end);
    }
  };
  collect(top, storageLength);
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
