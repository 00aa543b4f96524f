import { ApiError } from '../lib/errors.ts';
import type { Section } from '../markdown/index.ts';
import { loadMarkdown } from '../markdown/load.ts';

/**
 * A page's sections as the tools address them: by the heading's text, for a read of one section
 * (get_confluence_page's `section`) and for a change to it (update_confluence_page_section). Both
 * find it here, so a heading that reads a section is the heading that changes it.
 */

/** The one section of `storage` that `heading` names, or invalid_arguments listing the page's headings. */
export async function sectionOfPage(
  storage: string,
  heading: string,
  purpose: 'read' | 'write',
): Promise<Section> {
  const { matchSections, sectionsOf } = await loadMarkdown();
  const sections = sectionsOf(storage, purpose === 'write');
  return pickSection(sections, matchSections(sections, heading), heading, purpose);
}

/** `found` when it is one section; else invalid_arguments with the page's headings in error.headings. */
export function pickSection(
  sections: Section[],
  found: Section[],
  heading: string,
  purpose: 'read' | 'write',
): Section {
  if (found.length === 1) return found[0] as Section;
  const headings = sections.map((s) => `${'#'.repeat(s.heading.level)} ${s.heading.text}`);
  const instead =
    purpose === 'write' ? 'use update_confluence_page for this change' : 'read the page with offset instead';
  const problem =
    found.length === 0
      ? `No heading of the page reads "${heading}".`
      : `${found.length} headings of the page read "${heading}"; a section must be named by a unique heading (${instead}).`;
  const list =
    headings.length === 0
      ? `The page has no headings: ${instead}.`
      : `Its headings: ${headings.join(' · ')}.`;
  throw new ApiError(
    'invalid_arguments',
    `${problem} ${list}${purpose === 'write' ? ' Nothing was saved.' : ''}`,
    { details: { headings } },
  );
}

/** The headings of a page, each with its level and the size of its section in `format`. */
export function outlineOf(
  sections: Section[],
  format: 'markdown' | 'storage',
): { level: number; heading: string; chars: number }[] {
  return sections.map((s) => ({
    level: s.heading.level,
    heading: s.heading.text,
    chars: format === 'markdown' ? s.markdownChars : s.end - s.contentStart,
  }));
}
