import type { BadRequestHint } from './errors.ts';

/** What to do about a 400 from Confluence, by what its message names: shared by the operations. */

export const CURSOR_HINT: BadRequestHint = {
  when: /cursor/i,
  say: 'Pass next_cursor exactly as a previous call returned it, with the same other arguments, or omit it to start over.',
};

export const CQL_HINT: BadRequestHint = {
  when: /cql|parse/i,
  say: 'Check the CQL: field names such as text, title, space, label, type; quote phrases (text ~ "release notes"), escape quotes inside them with a backslash, put ? and * wildcards only inside quotes and not first, and join clauses with AND/OR.',
};

export const XHTML_HINT: BadRequestHint = {
  when: /xhtml|markup|storage|parse|unexpected|element|tag|entity/i,
  say: 'An HTML body must be well-formed XHTML: close every tag (e.g. <br/>, </b>) and escape & as &amp;. Or send plain text, which the gateway wraps for you.',
};

/** A 400 on an inline comment: the selection no longer matches the published text as counted. */
export const selectionHint = (what: 'page' | 'blog post'): BadRequestHint => ({
  when: /selection|match|inline/i,
  say: `The selected text must occur on the published ${what} exactly as given: read it again (it may have changed) and copy the passage.`,
});
