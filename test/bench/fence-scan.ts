/**
 * The write fence's reference scan (src/policy/storage-references.ts) on bodies of Confluence's
 * 5 MB limit written to be slow: each shape below once made the scan re-read the body from every
 * tag (minutes to hours at 5 MB, before anything is sent), and a space-confined caller could send
 * any of them. CPU per scan, median of a few rounds, beside a 5 MB page of ordinary storage. Part
 * of `npm run bench`; runs alone with `node test/bench/fence-scan.ts` (exit 1 if a budget fails).
 */
import { storageReferences } from '../../src/policy/storage-references.ts';
import { type Check, cpuMs } from './markdown.ts';

const BUDGET_MS = 1_000;
const FIVE_MB = 5 * 1024 * 1024;

/** `unit` repeated to about 5 MB, then `tail`. */
function body(unit: string, tail = ''): string {
  return unit.repeat(Math.floor(FIVE_MB / unit.length)) + tail;
}

const BODIES: [string, string][] = [
  [
    'ordinary storage (paragraphs, page links, an include)',
    body(
      '<p>Text with a <ac:link><ri:page ri:content-title="Runbook" ri:space-key="ENG"/></ac:link>.</p><ac:structured-macro ac:name="include"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Costs &gt; Budget"/></ac:link></ac:parameter></ac:structured-macro>',
    ),
  ],
  ['tags followed by a quote that never closes', body('<ri:page ', '"<p>x</p>')],
  ['parameters that never close', body('<ac:parameter ac:name="spaces">')],
  ['one tag holding a run of name characters', `<ri:page ${'a'.repeat(FIVE_MB)} ri:space-key="OPS"/>`],
  ['tags that never reach their ">"', body('<ri:page ri:space-key="OPS" ')],
];

export function fenceScanBench(): { checks: Check[] } {
  console.log(`\nThe write fence's reference scan, 5 MB bodies (CPU per scan, median of 5)`);
  const checks: Check[] = [];
  for (const [name, text] of BODIES) {
    const ms = cpuMs(() => storageReferences(text), 5);
    console.log(`  ${name.padEnd(56)} ${ms.toFixed(1).padStart(7)} ms`);
    checks.push({
      budget: `the write fence's scan of a 5 MB body, ${name} ≤ ${BUDGET_MS} ms CPU`,
      value: `${ms.toFixed(1)} ms`,
      holds: ms <= BUDGET_MS,
    });
  }
  return { checks };
}

if (process.argv[1]?.endsWith('fence-scan.ts')) {
  const { checks } = fenceScanBench();
  for (const check of checks)
    console.log(`  ${check.holds ? 'holds' : 'FAILS'}  ${check.budget}: ${check.value}`);
  process.exit(checks.every((check) => check.holds) ? 0 : 1);
}
