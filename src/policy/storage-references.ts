/**
 * What a storage-format body points at beyond its own page: the spaces and the content its links,
 * resource identifiers and macro parameters name. Confluence resolves these when it renders a page
 * (an `include` macro shows another page's body, `content-by-label` with `spaces=` lists another
 * space's pages), with the connected user's own permissions, so a space-confined caller may not
 * write them pointing outside its spaces (space-fence.ts decides; this module only reads).
 *
 * It reads tags with regular expressions rather than a parser: the body has already been checked or
 * built by the gateway, and what matters is never to miss a reference, so anything that looks like
 * one counts, in a comment or a CDATA section too (a false alarm only refuses a write).
 */

/** One thing a body names outside its own text. `what` describes it for an error message. */
export type StorageReference =
  /** A space, by key (an `ri:` element's `ri:space-key`, `<ri:space>`, a macro's space parameter). */
  | { kind: 'space'; key: string; what: string }
  /** Content by id (`ri:content-id`), whose space only Confluence knows. */
  | { kind: 'content'; id: string; what: string }
  /** A reach no space list can bound: `@all`, `@global`, a CQL query, another site's content. */
  | { kind: 'unbounded'; what: string };

/** Macro parameters that name spaces (Confluence's macros spell them several ways). */
const SPACE_PARAMETERS = new Set(['space', 'spaces', 'spacekey', 'spacekeys']);
/** Macro parameters whose text form is `KEY:Title` (the include macro's default parameter, `page`). */
const PAGE_PARAMETERS = new Set(['', 'page']);
/** Macro parameters holding a query that may reach any space (content-by-label, content report table). */
const QUERY_PARAMETERS = new Set(['cql']);
/** Space parameter values that mean "the page's own space". */
const OWN_SPACE = new Set(['@self', 'currentspace()']);

/**
 * A tag's attribute text up to its closing `>`. XML allows `>` inside a quoted attribute value
 * (`ri:content-title="Costs > Budget"`), so quoted values are read whole: a plain `[^>]*` would stop
 * inside one and miss every attribute after it, the space key included. XML allows no `<` in a tag,
 * quoted or not, so a tag's text ends before the next `<`: each `<` starts at most one scan, and
 * reading a body stays linear however many quotes it leaves open. The closing `>` is captured when
 * there is one: a tag without it is not well-formed, and is read as a reference that cannot be bound.
 */
const TAG_ATTRIBUTES = `((?:[^<>"']|"[^<"]*"|'[^<']*')*)(>)?`;
const RESOURCE = new RegExp(
  String.raw`<ri:(page|blog-post|attachment|space|content-entity|shortcut)\b${TAG_ATTRIBUTES}`,
  'gi',
);
const PARAMETER = new RegExp(String.raw`<ac:parameter\b${TAG_ATTRIBUTES}`, 'gi');
const PARAMETER_END = /<\/ac:parameter>/gi;

export function storageReferences(storage: string): StorageReference[] {
  const found: StorageReference[] = [];
  for (const [, element = '', attributeText = '', closed] of storage.matchAll(RESOURCE)) {
    const name = `<ri:${element.toLowerCase()}>`;
    if (!closed) {
      found.push({ kind: 'unbounded', what: `a ${name} tag that is not well-formed` });
      continue;
    }
    const attrs = attributes(attributeText);
    const key = attrs['ri:space-key'];
    if (key !== undefined) found.push({ kind: 'space', key: key.trim(), what: `${name} of space "${key}"` });
    const id = attrs['ri:content-id'];
    if (id !== undefined) found.push({ kind: 'content', id: id.trim(), what: `${name} of content ${id}` });
  }
  // A parameter ends at the first `</ac:parameter>` after it, and what it holds is its value (a
  // parameter opened inside it is part of that value, as a regular expression would read it).
  let after = 0;
  for (const open of storage.matchAll(PARAMETER)) {
    if (open.index < after) continue;
    const [, attributeText = '', closed] = open;
    if (!closed) {
      found.push({ kind: 'unbounded', what: 'an <ac:parameter> tag that is not well-formed' });
      continue;
    }
    const from = open.index + open[0].length;
    PARAMETER_END.lastIndex = from;
    const end = PARAMETER_END.exec(storage);
    // No parameter after this one closes either: nothing more to read.
    if (end === null) break;
    after = PARAMETER_END.lastIndex;
    const inner = storage.slice(from, end.index);
    const parameter = (attributes(attributeText)['ac:name'] ?? '').trim().toLowerCase();
    // A parameter written as elements (<ri:space>, <ac:link><ri:page>) was read with the resources.
    // Only a real element counts: a `<` that is escaped (`&lt;`) or inside CDATA is the value's text.
    if (/<[a-z]/i.test(inner.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ''))) continue;
    const text = decodeEntities(inner.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')).trim();
    if (text === '') continue;
    if (SPACE_PARAMETERS.has(parameter)) {
      for (const value of text.split(/[,\s]+/).filter(Boolean)) {
        if (OWN_SPACE.has(value.toLowerCase())) continue;
        const what = `the macro parameter ${parameter}="${text}"`;
        found.push(value.startsWith('@') ? { kind: 'unbounded', what } : { kind: 'space', key: value, what });
      }
    } else if (PAGE_PARAMETERS.has(parameter)) {
      const key = /^([^:\s]+):/.exec(text)?.[1];
      if (key !== undefined) {
        found.push({ kind: 'space', key, what: `the macro parameter ${parameter || 'page'}="${text}"` });
      }
    } else if (QUERY_PARAMETERS.has(parameter)) {
      found.push({ kind: 'unbounded', what: `the macro parameter ${parameter} (a query across spaces)` });
    }
  }
  return found;
}

/**
 * The attributes of a tag (either quote style), names lowercased, values with entities decoded. A
 * name starts where a run of name characters starts: tried from inside a long run, each start
 * would read the rest of the run again.
 */
function attributes(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [, name = '', double, single] of text.matchAll(
    /(?<![\w:-])([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g,
  )) {
    result[name.toLowerCase()] = decodeEntities(double ?? single ?? '');
  }
  return result;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
