/**
 * Reads the guarantees ledger (docs/guarantees.md) and says what in it does not hold: an entry whose
 * test file, test name or mutation does not exist, or whose mutation is killed by another file than
 * the one holding the test. `test/unit/guarantees.test.ts` runs it; nothing here runs a test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LedgerEntry {
  /** The line of docs/guarantees.md the entry is on (1-based). */
  line: number;
  promise: string;
  testFile: string;
  testName: string;
  mutation: string;
}

/** What a ledger check needs to know of a mutation (scripts/mutations.ts has more). */
export interface KnownMutation {
  name: string;
  test: string;
}

/** The header every ledger table starts with. */
export const LEDGER_HEADER = '| promise | stated in | held by | mutation |';

/** The cells of a Markdown table row, split on `|` that are not escaped (`\|`). */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/** Text in backticks, in order. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
}

/**
 * Every row of every ledger table (a table under LEDGER_HEADER). A row the format does not fit is
 * returned with empty fields, so the check reports it instead of skipping it.
 */
export function ledgerEntries(markdown: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  let inTable = false;
  markdown.split('\n').forEach((text, index) => {
    const row = text.trim();
    if (row === LEDGER_HEADER) {
      inTable = true;
      return;
    }
    if (!inTable) return;
    if (!row.startsWith('|')) {
      inTable = false;
      return;
    }
    if (/^\|[\s:|-]+\|$/.test(row)) return; // the separator row
    const [promise = '', , heldBy = '', mutation = ''] = cells(row);
    const [testFile = '', testName = ''] = codeSpans(heldBy);
    entries.push({ line: index + 1, promise, testFile, testName, mutation: codeSpans(mutation)[0] ?? '' });
  });
  return entries;
}

/** Whether `source` holds `name` as a whole string literal (the name a vitest `it`/`test` is given). */
export function namesTest(source: string, name: string): boolean {
  return ["'", '"', '`'].some((quote) => source.includes(`${quote}${name}${quote}`));
}

/** What is wrong with the ledger's entries, one line each; empty when every entry holds. */
export function ledgerProblems(
  entries: readonly LedgerEntry[],
  mutations: readonly KnownMutation[],
  root: string,
): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    const at = `docs/guarantees.md:${entry.line}`;
    if (!entry.promise || !entry.testFile || !entry.testName || !entry.mutation) {
      problems.push(`${at}: an entry needs a promise, \`test file\` › \`test name\`, and \`mutation\``);
      continue;
    }
    if (!existsSync(join(root, entry.testFile))) {
      problems.push(`${at}: the test file ${entry.testFile} does not exist`);
    } else if (!namesTest(readFileSync(join(root, entry.testFile), 'utf8'), entry.testName)) {
      problems.push(`${at}: ${entry.testFile} has no test named "${entry.testName}"`);
    }
    const mutation = mutations.find((m) => m.name === entry.mutation);
    if (!mutation) {
      problems.push(`${at}: no mutation named ${entry.mutation} in scripts/mutations.ts`);
    } else if (mutation.test !== entry.testFile) {
      problems.push(
        `${at}: the mutation ${entry.mutation} is killed by ${mutation.test}, not by ${entry.testFile}, which holds the promise`,
      );
    }
  }
  return problems;
}
