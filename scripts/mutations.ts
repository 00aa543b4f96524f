/**
 * `npm run test:mutations [-- name…]`: breaks the code on purpose, one plausible bug at a time, and
 * checks that the test file named for it fails. Each mutation is applied to a temporary copy of the
 * repository (never to this work tree), whose test file is then run; a mutation whose test still
 * passes "survived" and the run exits 1. Runs on demand, not in `npm test`: each mutation costs one
 * vitest run (about a minute on a loaded 2-core machine).
 *
 *   node scripts/mutations.ts                # all of them
 *   node scripts/mutations.ts space-key-cache refresh-margin
 *   node scripts/mutations.ts --list
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

interface Mutation {
  name: string;
  /** The bug it stands for. */
  bug: string;
  file: string;
  /** Exact text in `file` (it must occur once) and what replaces it. */
  from: string;
  to: string;
  /**
   * Ignored: the test file's folder decides its tier (projectOf). Kept optional so that entries
   * written before the tiers still read.
   */
  project?: 'gateway' | 'node';
  /** The test file expected to fail on the mutated code. */
  test: string;
}

export const MUTATIONS: Mutation[] = [
  {
    name: 'space-key-cache',
    bug: 'space ids cached by key alone: two sites with the same key share one id',
    file: 'src/confluence/api.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to find, not a template
    from: 'const cacheKey = `${this.integrationId}:${key}`;',
    to: 'const cacheKey = key;',
    test: 'test/gateway/second-site.test.ts',
  },
  {
    name: 'refresh-margin',
    bug: 'access tokens refreshed 4 minutes before expiry instead of 5',
    file: 'src/vault/tokens.ts',
    from: 'export const REFRESH_MARGIN_MS = 5 * 60_000;',
    to: 'export const REFRESH_MARGIN_MS = 4 * 60_000;',
    test: 'test/gateway/timing-and-config.test.ts',
  },
  {
    name: 'service-token-length-shortcut',
    bug: 'the service-token check returns early when the lengths differ',
    file: 'src/auth/service-auth.ts',
    from: 'return timingSafeEqualText(token, serviceToken);',
    to: 'return token.length === serviceToken.length && timingSafeEqualText(token, serviceToken);',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'delete-keeps-cached-record',
    bug: 'DELETE leaves the integration record in the isolate cache',
    file: 'src/integrations/routes.ts',
    from: '  forgetAccessToken(record.id);\n  forgetIntegration(record.id);\n',
    to: '  forgetAccessToken(record.id);\n',
    test: 'test/gateway/service-api.test.ts',
  },
  {
    name: 'return-url-loses-query',
    bug: "the return_url's own query and fragment are dropped",
    file: 'src/connect/sessions.ts',
    from: '  const url = new URL(returnUrl);\n',
    to: "  const url = new URL(returnUrl);\n  url.search = '';\n  url.hash = '';\n",
    test: 'test/gateway/connect.test.ts',
  },
  {
    name: 'slice-splits-surrogates',
    bug: 'page slices may end between the two halves of a surrogate pair',
    file: 'src/tools/slicing.ts',
    from: '  if (end < content.length && end > offset && isHighSurrogate(content.charCodeAt(end - 1))) end -= 1;\n',
    to: '',
    test: 'test/gateway/second-site.test.ts',
  },
  {
    name: 'webhook-secret-plain-compare',
    bug: 'the webhook secret hash compared with ===, which stops at the first difference',
    file: 'src/webhooks/inbox.ts',
    from: 'const matches = timingSafeEqualText(secretHash, current ?? secretHash);',
    to: 'const matches = secretHash === (current ?? secretHash);',
    test: 'test/gateway/timing-and-config.test.ts',
  },
  // Found while writing the ones above.
  {
    name: 'token-in-failure-log',
    bug: "a failed Confluence call's log line carries the access token",
    file: 'src/confluence/client.ts',
    from: '      logFailure(call, answer.status);\n      throw upstreamError(answer, call);',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to put in, not a template
    to: '      logFailure(call, `${answer.status} ${token.accessToken}`);\n      throw upstreamError(answer, call);',
    test: 'test/gateway/confluence-client.test.ts',
  },
  {
    name: 'retry-after-not-waited',
    bug: 'a short Retry-After is retried at once instead of after the wait',
    file: 'src/confluence/client.ts',
    from: 'setTimeout(resolve, wait * 1000)',
    to: 'setTimeout(resolve, 0)',
    test: 'test/gateway/confluence-client.test.ts',
  },
  {
    name: 'reauth-keeps-cached-record',
    bug: 'a needs_reauth answer leaves the active record in the isolate cache',
    file: 'src/tools/call.ts',
    from: "if (error instanceof ApiError && error.code === 'needs_reauth') forgetIntegration(integration.id);",
    to: "if (error instanceof ApiError && error.code === 'needs_reauth') forgetIntegration('');",
    test: 'test/gateway/connect-reconnect.test.ts',
  },
  {
    name: 'view-body-dropped',
    bug: 'body_format "view" answers an empty content',
    file: 'src/tools/get-confluence-page.ts',
    from: "const stored = page.body?.[format]?.value ?? '';",
    to: "const stored = format === 'view' ? '' : (page.body?.[format]?.value ?? '');",
    test: 'test/gateway/tools-pages.test.ts',
  },
  {
    name: 'webhook-settings-unchecked',
    bug: 'the webhook receiver runs with malformed WEBHOOK_* settings instead of answering 503',
    file: 'src/webhooks/routes.ts',
    from: "const config = requireConfig(c.env, ['WEBHOOK_RETENTION_DAYS', 'WEBHOOK_RATE_LIMIT_PER_MINUTE']);",
    to: 'const config = { WEBHOOK_RATE_LIMIT_PER_MINUTE: 120, ...requireConfig(c.env, []) };',
    test: 'test/gateway/settings.test.ts',
  },
  {
    name: 'default-scope-missing',
    bug: 'a scope of docs/reference/atlassian/FACTS.md missing from the default list',
    file: 'src/config.ts',
    from: "  'read:confluence-groups',\n",
    to: '',
    test: 'test/gateway/settings.test.ts',
  },
  {
    name: 'comment-title-dropped',
    bug: "add_confluence_comment answers without the comment's title",
    file: 'src/tools/add-confluence-comment.ts',
    from: 'title: comment.title',
    to: "title: ''",
    test: 'test/gateway/tools-contract.test.ts',
  },
  {
    name: 'late-request-logged',
    bug: 'the emulator logs a request that arrived before the last clear: an abandoned call lands in the next test',
    file: 'dev/emulator/request-log.ts',
    from: '    if (entry.seq <= this.#floor) return;\n',
    to: '',
    test: 'test/gateway/confluence-client.test.ts',
  },
  {
    name: 'output-schema-never-built',
    bug: "a tool's lazily built output schema is never built: MCP clients get no outputSchema",
    file: 'src/tools/tool.ts',
    from: '      if (output) builtOutput ??= output();\n',
    to: '',
    test: 'test/e2e/mcp.test.ts',
  },
  {
    name: 'fence-list-items-unchecked',
    bug: 'the space fence inspects a list answer but not its items: an item of a fenced space reaches the agent',
    file: 'src/policy/space-fence.ts',
    from: 'for (const item of [answer, ...(Array.isArray(results) ? results : [])]) {',
    to: 'for (const item of [answer]) {',
    test: 'test/gateway/policy-spaces-lists.test.ts',
  },
  {
    name: 'pkce-any-method',
    bug: 'the PKCE check at /authorize asks only for a challenge, so plain (or any method) passes',
    file: 'src/oauth/pkce.ts',
    from: "if (request.codeChallengeMethod === 'S256' && request.codeChallenge) return undefined;",
    to: 'if (request.codeChallenge) return undefined;',
    test: 'test/unit/oauth-pkce.test.ts',
  },
  {
    name: 'markdown-read-outside-output-schema',
    bug: 'a Markdown page read answers a content_format its output schema does not admit',
    file: 'src/tools/get-confluence-page.ts',
    from: 'content_format: z.enum(pageBodyFormats),',
    to: "content_format: z.enum(['storage', 'atlas_doc_format', 'view']),",
    test: 'test/e2e/mcp-output-shapes.test.ts',
  },
];

const root = resolve(import.meta.dirname, '..');

/** A copy of the repository without node_modules (linked) or build output, in a fresh temporary folder. */
function copyRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), 'mutation-'));
  cpSync(root, copy, {
    recursive: true,
    filter: (source) => {
      const path = relative(root, source);
      return !/^(node_modules|dist|\.git|\.wrangler)(\/|$)/.test(path);
    },
  });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

function apply(copy: string, mutation: Mutation): void {
  const path = join(copy, mutation.file);
  const source = readFileSync(path, 'utf8');
  const at = source.indexOf(mutation.from);
  if (at === -1 || source.indexOf(mutation.from, at + 1) !== -1) {
    throw new Error(`${mutation.name}: the text to replace must occur exactly once in ${mutation.file}`);
  }
  writeFileSync(path, source.slice(0, at) + mutation.to + source.slice(at + mutation.from.length));
}

/** The tests vitest reported as failed ("file > describe > test"), without colours. */
function failedTests(output: string): string[] {
  const plain = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  const names = [...plain.matchAll(/^\s*FAIL\s+(?:\S+\s+)?(\S+\.test\.ts\s+>\s+.+)$/gm)].map(
    (m) => m[1]?.trim() ?? '',
  );
  return [...new Set(names)];
}

/** The vitest project (tier) that runs a test file: test/unit → unit, test/gateway → its worker shard, else node. */
function projectOf(test: string): string {
  if (test.startsWith('test/unit/')) return 'unit';
  if (test.startsWith('test/gateway/')) return 'worker-*';
  return 'node';
}

function runTest(copy: string, mutation: Mutation): { passed: boolean; seconds: number; failed: string[] } {
  const started = performance.now();
  const run = spawnSync('npx', ['vitest', 'run', '--project', projectOf(mutation.test), mutation.test], {
    cwd: copy,
    encoding: 'utf8',
    // The copy lives outside the folder that holds ../shared: point the emulator at the real specs.
    env: {
      ...process.env,
      ATLASSIAN_SPEC_DIR: process.env.ATLASSIAN_SPEC_DIR ?? resolve(root, '../shared/atlassian'),
    },
  });
  return {
    passed: run.status === 0,
    seconds: Math.round((performance.now() - started) / 1000),
    failed: failedTests(`${run.stdout}\n${run.stderr}`),
  };
}

function main(): number {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const m of MUTATIONS) console.log(`${m.name.padEnd(32)} ${m.test}  (${m.bug})`);
    return 0;
  }
  const unknown = args.filter((name) => !MUTATIONS.some((m) => m.name === name));
  if (unknown.length) {
    console.error(`Unknown mutation(s): ${unknown.join(', ')}. --list shows them.`);
    return 2;
  }
  const chosen = args.length ? MUTATIONS.filter((m) => args.includes(m.name)) : MUTATIONS;
  const survivors: string[] = [];
  for (const mutation of chosen) {
    const copy = copyRepository();
    try {
      apply(copy, mutation);
      const { passed, seconds, failed } = runTest(copy, mutation);
      const verdict = passed ? 'SURVIVED' : 'killed';
      if (passed) survivors.push(mutation.name);
      console.log(`${verdict.padEnd(8)} ${mutation.name.padEnd(28)} ${mutation.test} (${seconds} s)`);
      for (const name of failed) console.log(`         ✗ ${name}`);
      if (!passed && failed.length === 0)
        console.log('         (vitest failed without naming a test: check the run by hand)');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  console.log(`${chosen.length - survivors.length} killed, ${survivors.length} survived`);
  return survivors.length ? 1 : 0;
}

process.exitCode = main();
