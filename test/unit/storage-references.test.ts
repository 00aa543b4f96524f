import { describe, expect, it } from 'vitest';
import { storageReferences } from '../../src/policy/storage-references.ts';

const kinds = (storage: string) => storageReferences(storage).map(({ what: _what, ...rest }) => rest);

describe('storageReferences', () => {
  it('reads the space key and content id of every ri: resource, in either quote style and with entities', () => {
    expect(
      kinds(
        `<ac:link><ri:page ri:content-title="A" ri:space-key="OPS"/></ac:link><ri:blog-post ri:space-key='HR' ri:posting-day="2026/01/01" ri:content-title="B"/><ri:attachment ri:filename="x.png"><ri:page ri:content-id="42"/></ri:attachment><ri:space ri:space-key="&#x7E;bob"/>`,
      ),
    ).toEqual([
      { kind: 'space', key: 'OPS' },
      { kind: 'space', key: 'HR' },
      { kind: 'content', id: '42' },
      { kind: 'space', key: '~bob' },
    ]);
  });

  it('names nothing for links within the page’s own space', () => {
    expect(
      kinds(
        '<ac:link><ri:page ri:content-title="Same space"/></ac:link><ri:attachment ri:filename="a.png"/>',
      ),
    ).toEqual([]);
  });

  it('reads macro space parameters, KEY:Title page parameters and CQL queries', () => {
    const macro = (parameter: string, value: string) =>
      `<ac:structured-macro ac:name="m"><ac:parameter ac:name="${parameter}">${value}</ac:parameter></ac:structured-macro>`;
    expect(kinds(macro('spaces', 'ENG, OPS'))).toEqual([
      { kind: 'space', key: 'ENG' },
      { kind: 'space', key: 'OPS' },
    ]);
    expect(kinds(macro('spaceKey', 'OPS'))).toEqual([{ kind: 'space', key: 'OPS' }]);
    expect(kinds(macro('space', '@self'))).toEqual([]);
    expect(kinds(macro('spaces', '@all'))).toEqual([{ kind: 'unbounded' }]);
    expect(kinds(macro('', 'OPS:On-call'))).toEqual([{ kind: 'space', key: 'OPS' }]);
    expect(kinds(macro('page', 'Just a title'))).toEqual([]);
    expect(kinds(macro('cql', 'label = "x"'))).toEqual([{ kind: 'unbounded' }]);
    expect(kinds(macro('labels', 'oncall'))).toEqual([]);
  });
});

describe('storageReferences, however a tag is written', () => {
  it('reads the attributes after a ">" inside an earlier attribute value (well-formed XML)', () => {
    expect(kinds('<ri:page ri:content-title="Costs > Budget" ri:space-key="OPS"/>')).toEqual([
      { kind: 'space', key: 'OPS' },
    ]);
    expect(kinds('<ri:page ri:content-title=\'a>b\' ri:content-id="42"/>')).toEqual([
      { kind: 'content', id: '42' },
    ]);
    expect(kinds('<ac:parameter ac:title=">" ac:name="spaces">OPS</ac:parameter>')).toEqual([
      { kind: 'space', key: 'OPS' },
    ]);
  });

  it('reads a parameter whose text holds an escaped or CDATA "<" as text', () => {
    const spaces = (value: string) => `<ac:parameter ac:name="spaces">${value}</ac:parameter>`;
    expect(kinds(spaces('OPS,&lt;x'))).toEqual([
      { kind: 'space', key: 'OPS' },
      { kind: 'space', key: '<x' },
    ]);
    expect(kinds(spaces('<![CDATA[OPS,<x]]>'))).toEqual([
      { kind: 'space', key: 'OPS' },
      { kind: 'space', key: '<x' },
    ]);
  });
});

describe('storageReferences on a body written to be slow', () => {
  // Each shape once made the scan re-read the body from every tag (tens of seconds at a few hundred
  // KB, hours at Confluence's 5 MB). What it finds is checked here; its CPU on 5 MB bodies of each
  // shape is the bench's (test/bench/fence-scan.ts).
  const count = 60_000;

  it('reads each of many tags followed by a quote that never closes as a reference', () => {
    const tags = '<ri:page '.repeat(count);
    expect(storageReferences(`${tags}"<p>x</p>`)).toHaveLength(count);
  });

  it('finds nothing in many parameters that never close', () => {
    expect(storageReferences('<ac:parameter ac:name="spaces">'.repeat(count))).toEqual([]);
  });

  it('reads the space key after a long run of name characters in a tag', () => {
    const tag = `<ri:page ${'a'.repeat(count * 3)} ri:space-key="OPS"/>`;
    expect(kinds(tag)).toEqual([{ kind: 'space', key: 'OPS' }]);
  });

  it('reads a tag that is not well-formed as a reference no space list bounds', () => {
    expect(kinds('<ri:page ri:space-key="OPS" <p>')).toEqual([{ kind: 'unbounded' }]);
    expect(kinds('<ri:page ri:content-title="a<b" ri:space-key="OPS"/>')).toEqual([{ kind: 'unbounded' }]);
    expect(kinds('<ac:parameter ac:name="spaces"<x>OPS</ac:parameter>')).toEqual([{ kind: 'unbounded' }]);
  });
});
