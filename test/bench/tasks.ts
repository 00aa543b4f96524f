/**
 * The cost of an agent's task: LLM tokens read and written, and Atlassian points spent, for scripted
 * tasks on the emulator's corpus, each done two ways through the gateway's REST door:
 *
 * - as this gateway's tools lead: Markdown, slices, a long page's outline and one section read and
 *   changed by its heading, moves by id;
 * - the whole-page way a client without them must take (the seed's original tools and most peers):
 *   the page in storage format read whole, and written back whole.
 *
 * Tokens: o200k_base (GPT-4o's tokenizer) over what the agent sends (the arguments' JSON: written)
 * and what it gets back (the answer's JSON: read). Points: Atlassian's table
 * (docs/reference/atlassian/FACTS.md): a write costs 1; a GET 1, plus 1 per object it returns (2 per identity object), counted
 * from the Confluence requests the emulator logged for the task, each GET replayed for its count.
 *
 * The gateway runs at its defaults, the read cache (CONFLUENCE_READ_CACHE_SECONDS, 30 s) on: both
 * ways pay what a deployed gateway would charge them. Each way of each task runs on an integration
 * of its own, connected for it, so no read cached by an earlier run answers it.
 *
 * Run: `npm run bench:tasks` (or `node test/bench/tasks.ts`).
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { SEED } from '../../dev/emulator/seed.ts';
import { connectOverHttp } from '../support/connect-over-http.ts';
import { type BenchEnvironment, emulatorAccessToken, SERVICE_TOKEN, startBenchEnvironment } from './setup.ts';

interface Cost {
  calls: number;
  tokensRead: number;
  tokensWritten: number;
  points: number;
}

type Call = (tool: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

interface Task {
  name: string;
  /** The way this gateway's tools lead. */
  gateway: (call: Call) => Promise<void>;
  /** The whole page in storage format, read and written back. */
  wholePage: (call: Call) => Promise<void>;
  /** Whether the task writes (the goal of ≤ 0.3× tokens and ≤ 0.5× points is for edits). */
  edit: boolean;
}

interface Page {
  id: string;
  title: string;
  version: { number: number };
  content: string;
  truncated: boolean;
  next_offset?: number;
}

/** Reads a page to its end, slice by slice, as the tool's description tells an agent to. */
async function readWhole(call: Call, pageId: string, bodyFormat: string, maxChars?: number): Promise<Page> {
  let offset = 0;
  let content = '';
  for (;;) {
    const { page } = (await call('get_confluence_page', {
      page_id: pageId,
      body_format: bodyFormat,
      ...(maxChars !== undefined && { max_chars: maxChars }),
      ...(offset > 0 && { offset }),
    })) as { page: Page };
    content += page.content;
    if (!page.truncated || page.next_offset === undefined) return { ...page, content };
    offset = page.next_offset;
  }
}

/** The body of the Markdown section under `heading` (to the next heading of the same or a higher level). */
function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '') === heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = (lines[start]?.match(/^#+/)?.[0] ?? '#').length;
  let end = start + 1;
  while (end < lines.length && !new RegExp(`^#{1,${level}} `).test(lines[end] as string)) end++;
  return lines.slice(start + 1, end).join('\n');
}

/** The heading of the shortest section of a Markdown text that satisfies `test`. */
function headingWhere(markdown: string, test: (section: string) => boolean): string {
  let best: { heading: string; length: number } | undefined;
  for (const line of markdown.split('\n')) {
    if (!/^#{1,6} /.test(line)) continue;
    const heading = line.replace(/^#+ /, '');
    const section = markdownSection(markdown, heading);
    if (test(section) && (!best || section.length < best.length)) best = { heading, length: section.length };
  }
  if (!best) throw new Error('no section fits');
  return best.heading;
}

const large = SEED.pages.large.id;
const architecture = SEED.pages.architecture.id;
const MAX_WHOLE = 200_000;

const TASKS: Task[] = [
  {
    name: 'read a long page (50 KB) and answer from it',
    edit: false,
    gateway: async (call) => {
      await readWhole(call, large, 'markdown');
    },
    wholePage: async (call) => {
      await readWhole(call, large, 'storage', MAX_WHOLE);
    },
  },
  {
    name: 'find the page about deploys and quote it',
    edit: false,
    gateway: async (call) => {
      const { pages } = (await call('search_confluence_pages', {
        cql: 'type = page AND title ~ "deploy"',
        limit: 5,
      })) as { pages: { id: string }[] };
      await call('get_confluence_page', {
        page_id: (pages[0] as { id: string }).id,
        body_format: 'markdown',
        max_chars: 4000,
      });
    },
    wholePage: async (call) => {
      const { pages } = (await call('search_confluence_pages', {
        cql: 'type = page AND title ~ "deploy"',
        limit: 25,
      })) as { pages: { id: string }[] };
      await readWhole(call, (pages[0] as { id: string }).id, 'storage', MAX_WHOLE);
    },
  },
  {
    name: 'change one section of the 50 KB page',
    edit: true,
    gateway: async (call) => {
      // The agent reads the long page's outline, then the one section it changes, and sends it back.
      const { page: outlined } = (await call('get_confluence_page', {
        page_id: large,
        body_format: 'markdown',
        outline: true,
      })) as { page: Page & { outline: { heading: string; chars: number }[] } };
      const unique = outlined.outline.filter(
        (entry) => outlined.outline.filter((other) => other.heading === entry.heading).length === 1,
      );
      // The shortest section of more than 200 characters, as the whole-page reading below picks it.
      const heading = unique
        .filter((entry) => entry.chars > 200)
        .reduce((best, entry) => (entry.chars < best.chars ? entry : best)).heading;
      const { page } = (await call('get_confluence_page', {
        page_id: large,
        body_format: 'markdown',
        section: heading,
      })) as { page: Page };
      await call('update_confluence_page_section', {
        page_id: large,
        version_number: page.version.number,
        heading,
        body: `${page.content.trim()}\n\nReviewed again on 2026-12-02: still current.`,
      });
    },
    wholePage: async (call) => {
      const page = await readWhole(call, large, 'storage', MAX_WHOLE);
      await call('update_confluence_page', {
        page_id: large,
        version_number: page.version.number,
        title: page.title,
        body: `${page.content}<p>Reviewed again on 2026-12-02: still current.</p>`,
      });
    },
  },
  {
    name: 'add a row to a table',
    edit: true,
    gateway: async (call) => {
      const page = await readWhole(call, architecture, 'markdown');
      const heading = headingWhere(page.content, (section) => /^\|.*\|\s*$/m.test(section));
      const section = markdownSection(page.content, heading);
      const rows = section.split('\n').filter((line) => /^\|.*\|\s*$/.test(line));
      const columns = (rows[0]?.split('|').length ?? 3) - 2;
      const row = `| ${Array.from({ length: columns }, (_, i) => (i === 0 ? 'audit-log' : 'new')).join(' | ')} |`;
      const lines = section.split('\n');
      const last = lines.lastIndexOf(rows.at(-1) as string);
      lines.splice(last + 1, 0, row);
      await call('update_confluence_page_section', {
        page_id: architecture,
        version_number: page.version.number,
        heading,
        body: lines.join('\n').trim(),
      });
    },
    wholePage: async (call) => {
      const page = await readWhole(call, architecture, 'storage', MAX_WHOLE);
      const end = page.content.lastIndexOf('</tbody>');
      if (end < 0) throw new Error('the page has no table');
      const columns = (
        page.content
          .slice(0, end)
          .split('<tr>')
          .at(-1)
          ?.match(/<t[dh][ >]/g) ?? []
      ).length;
      const row = `<tr>${Array.from({ length: columns }, (_, i) => `<td><p>${i === 0 ? 'audit-log' : 'new'}</p></td>`).join('')}</tr>`;
      await call('update_confluence_page', {
        page_id: architecture,
        version_number: page.version.number,
        title: page.title,
        body: `${page.content.slice(0, end)}${row}${page.content.slice(end)}`,
      });
    },
  },
  {
    name: 'move a page under another',
    edit: true,
    gateway: async (call) => {
      // The version comes from a read the agent makes anyway; the smallest slice carries it.
      const { page } = (await call('get_confluence_page', {
        page_id: SEED.pages.apiGuidelines.id,
        body_format: 'markdown',
        max_chars: 1,
      })) as { page: Page };
      await call('move_confluence_page', {
        page_id: SEED.pages.apiGuidelines.id,
        version_number: page.version.number,
        parent_id: SEED.pages.runbooks.id,
      });
    },
    wholePage: async (call) => {
      // Confluence's PUT of a page carries its whole body: a client with only read and update tools
      // reads the page whole and sends it back with the new parent.
      const page = await readWhole(call, SEED.pages.apiGuidelines.id, 'storage', MAX_WHOLE);
      await call('update_confluence_page', {
        page_id: SEED.pages.apiGuidelines.id,
        version_number: page.version.number,
        title: page.title,
        body: page.content,
      });
    },
  },
];

const env: BenchEnvironment = await startBenchEnvironment({}, { CONFLUENCE_READ_CACHE_SECONDS: '30' });
const { emulator, gateway, gatewayUrl } = env;

/** A REST tool call, through an integration of its own, that counts the tokens each way. */
function caller(cost: Cost, integrationId: string): Call {
  return async (tool, args) => {
    const body = JSON.stringify(args);
    const answer = await fetch(`${gatewayUrl}/api/v1/integrations/${integrationId}/tools/${tool}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    const text = await answer.text();
    if (answer.status !== 200) throw new Error(`${tool}: ${answer.status} ${text}`);
    cost.calls++;
    // What the agent writes: the tool's name and its arguments; what it reads: the whole answer.
    cost.tokensWritten += countTokens(tool) + countTokens(body);
    cost.tokensRead += countTokens(text);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

interface Logged {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
}

/** Atlassian's points for the Confluence requests logged since the last reset. */
async function pointsSpent(bearer: string): Promise<number> {
  const log = (await (
    await fetch(`${emulator.url}/_emulator/requests?path_prefix=/ex/confluence`)
  ).json()) as { requests: Logged[] };
  let points = 0;
  for (const request of log.requests) {
    if (request.method !== 'GET') {
      points += 1;
      continue;
    }
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
    }
    const replay = await fetch(`${emulator.url}${request.path}${query.size ? `?${query}` : ''}`, {
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
    });
    points += 1 + objectsIn((await replay.json()) as Record<string, unknown>);
  }
  return points;
}

/** Core objects an answer returns: a list's results (a user counts 2), else the object itself and its labels. */
function objectsIn(answer: Record<string, unknown>): number {
  if (Array.isArray(answer.results)) {
    return answer.results.reduce<number>(
      (sum, item) => sum + ((item as { type?: string }).type === 'user' ? 2 : 1),
      0,
    );
  }
  const labels = (answer.labels as { results?: unknown[] } | undefined)?.results?.length ?? 0;
  return 1 + labels;
}

try {
  const bearer = await emulatorAccessToken(emulator.url);
  const rows: { task: Task; gateway: Cost; wholePage: Cost }[] = [];
  for (const task of TASKS) {
    const measured: Partial<Record<'gateway' | 'wholePage', Cost>> = {};
    for (const way of ['wholePage', 'gateway'] as const) {
      // The whole-page way goes first: its edit leaves the page a sentence longer for the other.
      const integrationId = await connectOverHttp({
        gatewayUrl,
        serviceToken: SERVICE_TOKEN,
        ownerId: 'bench',
        name: `${task.name}, ${way}`,
      });
      await fetch(`${emulator.url}/_emulator/requests`, { method: 'DELETE' });
      const cost: Cost = { calls: 0, tokensRead: 0, tokensWritten: 0, points: 0 };
      await task[way](caller(cost, integrationId));
      cost.points = await pointsSpent(bearer);
      measured[way] = cost;
    }
    rows.push({ task, gateway: measured.gateway as Cost, wholePage: measured.wholePage as Cost });
  }
  print(rows);
} finally {
  await gateway.close();
  await emulator.close();
}

function print(rows: { task: Task; gateway: Cost; wholePage: Cost }[]): void {
  const ratio = (a: number, b: number) => (b === 0 ? '–' : `${(a / b).toFixed(2)}×`);
  console.log(
    '| task | way | calls | tokens read | tokens written | tokens, all | points | vs whole page: tokens | points |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { task, gateway: g, wholePage: w } of rows) {
    const total = (c: Cost) => c.tokensRead + c.tokensWritten;
    const line = (way: string, c: Cost, versus: string, points: string) =>
      console.log(
        `| ${way === 'gateway' ? '' : task.name} | ${way} | ${c.calls} | ${c.tokensRead} | ${c.tokensWritten} | ${total(c)} | ${c.points} | ${versus} | ${points} |`,
      );
    line('whole page, storage', w, '', '');
    line('gateway', g, ratio(total(g), total(w)), ratio(g.points, w.points));
  }
}
