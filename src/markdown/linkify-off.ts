/**
 * Stands in for `linkify-it` in the bundle, by the [alias] in wrangler.toml (and in the unit tests'
 * config, so they run what the bundle runs). markdown-it builds a LinkifyIt for every parser, but only
 * its two `linkify` rules call it, and only with the parser's `linkify` option on. The gateway's one
 * parser (to-storage.ts) uses the commonmark preset, which leaves both the option and the rules off:
 * a bare URL in Markdown stays text, as CommonMark says. The real class weighs 11 KB in the bundle and
 * builds its link patterns when constructed; this one does nothing until used, then refuses, so a
 * parser that turned linkify on would fail loudly (test/unit/markdown/linkify-off.test.ts).
 */
export class LinkifyIt {
  test(): never {
    return refuse();
  }
  pretest(): never {
    return refuse();
  }
  testSchemaAt(): never {
    return refuse();
  }
  match(): never {
    return refuse();
  }
  matchAtStart(): never {
    return refuse();
  }
  add(): never {
    return refuse();
  }
  set(): never {
    return refuse();
  }
  tlds(): never {
    return refuse();
  }
  normalize(): never {
    return refuse();
  }
}

function refuse(): never {
  throw new Error('linkify-it is not bundled: the Markdown parser keeps its linkify option off.');
}
