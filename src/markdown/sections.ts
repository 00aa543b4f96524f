import { renderStorage } from './to-markdown.ts';

/**
 * A page's sections: a top-level heading and the blocks under it, up to the next heading of the
 * same or a higher level. Offsets are into the storage, so a section can be replaced while every
 * byte outside it stays as it was. Headings inside panels, layouts or tables do not start sections.
 */

export interface Section {
  /** The heading's text and level. */
  heading: { level: number; text: string };
  /** Where the heading element ends and the section's content starts. */
  contentStart: number;
  /** Where the section ends: the next heading of its level or higher, or the end of the body. */
  end: number;
}

export function sectionsOf(storage: string): Section[] {
  const { blocks } = renderStorage(storage);
  const sections: Section[] = [];
  for (const [index, block] of blocks.entries()) {
    const heading = block.heading;
    if (!heading) continue;
    let end = storage.length;
    for (let next = index + 1; next < blocks.length; next++) {
      const later = blocks[next];
      if (later?.heading && later.heading.level <= heading.level) {
        end = later.start;
        break;
      }
    }
    sections.push({ heading, contentStart: block.end, end });
  }
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
