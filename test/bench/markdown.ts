/**
 * The token economy of Markdown, over the storage-format corpus (dev/emulator/seed/corpus.ts):
 * the tokens of each page's storage and of its Markdown rendering, counted with a real BPE
 * tokenizer (o200k_base, GPT-4o's), the share of the pages' words the Markdown shows, what it
 * leaves opaque, and the CPU time of the conversion. Part of `npm run bench`; runs alone with
 * `node test/bench/markdown.ts` (exit 1 if a budget fails).
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { CORPUS } from '../../dev/emulator/seed/corpus.ts';
import { REAL_SHAPES } from '../../dev/emulator/seed/corpus-shapes.ts';
import { mergeMarkdown } from '../../src/markdown/index.ts';
import { readMarkdown, storageToMarkdown } from '../../src/markdown/to-markdown.ts';
import { storageWords, wordsOf } from '../support/storage-words.ts';

const BUDGETS = { tokenRatio: 0.6, cpuMs50KB: 2 };
const FIFTY_KB = 'Data Platform Handbook';
const ONE_MB = 'Data Platform Archive';

export interface Check {
  budget: string;
  value: string;
  holds: boolean;
}

export function markdownBench(): { figures: Record<string, unknown>; checks: Check[] } {
  const pages = CORPUS.map((document) => {
    const { markdown, omitted } = readMarkdown(document.body);
    const shown = new Set(wordsOf(markdown));
    const words = storageWords(document.body);
    return {
      title: document.title,
      storageChars: document.body.length,
      markdownChars: markdown.length,
      storageTokens: countTokens(document.body),
      markdownTokens: countTokens(markdown),
      words: words.length,
      wordsShown: words.filter((word) => shown.has(word)).length,
      omitted: omitted.reduce((sum, { count }) => sum + count, 0),
    };
  });
  type Field = 'storageTokens' | 'markdownTokens' | 'storageChars' | 'words' | 'wordsShown' | 'omitted';
  const sum = (of: typeof pages, field: Field) => of.reduce((total, page) => total + page[field], 0);
  const total = (field: Field) => sum(pages, field);
  const ratio = total('markdownTokens') / total('storageTokens');
  const realTitles = new Set(REAL_SHAPES.map((document) => document.title));
  const real = pages.filter((page) => realTitles.has(page.title));
  const realRatio = sum(real, 'markdownTokens') / sum(real, 'storageTokens');
  const wordsShown = total('wordsShown') / total('words');

  const fiftyKB = CORPUS.find((d) => d.title === FIFTY_KB)?.body as string;
  const oneMB = CORPUS.find((d) => d.title === ONE_MB)?.body as string;
  const read50 = cpuMs(() => storageToMarkdown(fiftyKB), 300);
  const markdown50 = storageToMarkdown(fiftyKB);
  const edited50 = markdown50.replace('Chapter 40 covers', 'Chapter 40 now covers');
  const write50 = cpuMs(() => mergeMarkdown(edited50, fiftyKB), 100);
  const read1MB = cpuMs(() => storageToMarkdown(oneMB), 5);

  console.log('\nMarkdown over the storage-format corpus (o200k_base tokens)');
  console.log(
    `  ${'page'.padEnd(32)} ${'storage'.padStart(9)} ${'markdown'.padStart(9)}  ratio  ${'words shown'.padStart(13)}  opaque`,
  );
  const line = (title: string, storage: number, markdown: number, shown: string, opaque: number) =>
    console.log(
      `  ${title.slice(0, 32).padEnd(32)} ${String(storage).padStart(9)} ${String(markdown).padStart(9)}  ${(markdown / storage).toFixed(2)}  ${shown.padStart(13)}  ${String(opaque).padStart(6)}`,
    );
  for (const page of pages) {
    line(
      page.title,
      page.storageTokens,
      page.markdownTokens,
      `${page.wordsShown}/${page.words}`,
      page.omitted,
    );
  }
  line(
    `the ${real.length} cloud-editor-shaped pages`,
    sum(real, 'storageTokens'),
    sum(real, 'markdownTokens'),
    `${sum(real, 'wordsShown')}/${sum(real, 'words')}`,
    sum(real, 'omitted'),
  );
  line(
    `all ${pages.length} pages`,
    total('storageTokens'),
    total('markdownTokens'),
    `${total('wordsShown')}/${total('words')}`,
    total('omitted'),
  );
  console.log(
    `  CPU, median: storage → Markdown of the 50 KB page ${read50.toFixed(2)} ms; an edited 50 KB page written back ${write50.toFixed(2)} ms; the 1 MB page read ${read1MB.toFixed(1)} ms`,
  );

  return {
    figures: {
      pages,
      corpus_storage_chars: total('storageChars'),
      storage_tokens: total('storageTokens'),
      markdown_tokens: total('markdownTokens'),
      token_ratio: ratio,
      token_ratio_cloud_editor_pages: realRatio,
      words: total('words'),
      words_shown: total('wordsShown'),
      omitted_elements: total('omitted'),
      cpu_ms_median: { read_50kb: read50, write_edit_50kb: write50, read_1mb: read1MB },
    },
    checks: [
      {
        budget: `Markdown ≤ ${BUDGETS.tokenRatio} × storage tokens over the corpus (${pages.length} pages, ${(total('storageChars') / 1024).toFixed(0)} KiB)`,
        value: ratio.toFixed(3),
        holds: ratio <= BUDGETS.tokenRatio,
      },
      {
        budget: `every word of the corpus's text is in its Markdown (${total('words')} words)`,
        value: `${(wordsShown * 100).toFixed(2)} %`,
        holds: wordsShown === 1,
      },
      {
        budget: `storage → Markdown of the 50 KB page ≤ ${BUDGETS.cpuMs50KB} ms CPU (median)`,
        value: `${read50.toFixed(2)} ms`,
        holds: read50 <= BUDGETS.cpuMs50KB,
      },
    ],
  };
}

/** The median CPU time of `run` in this process, after a warm-up, in milliseconds. */
/** The median CPU time of `rounds` runs (after as many warm-up runs, 30 at most), in ms. */
export function cpuMs(run: () => unknown, rounds: number): number {
  for (let i = 0; i < Math.min(rounds, 30); i++) run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

if (process.argv[1]?.endsWith('markdown.ts')) {
  const { checks } = markdownBench();
  console.log('\nBudgets');
  for (const check of checks)
    console.log(`  ${check.holds ? 'holds' : 'FAILS'}  ${check.budget}: ${check.value}`);
  process.exitCode = checks.every((check) => check.holds) ? 0 : 1;
}
