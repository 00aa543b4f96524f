/**
 * Relative links and anchors of Markdown files, as GitHub resolves them: a link's path is relative
 * to the file, and `#anchor` names a heading (its GitHub slug) or an explicit `<a id>`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** GitHub's heading slug: lower case, punctuation dropped, each space a hyphen. */
export function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The lines of a Markdown text outside fenced code blocks. */
function prose(text: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) lines.push(line);
  }
  return lines;
}

/** Every anchor a Markdown text defines: heading slugs (repeats numbered as GitHub does) and `<a id>`s. */
export function anchors(text: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading?.[1] !== undefined) {
      const base = slug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      found.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) found.add(match[1] as string);
  }
  return found;
}

/** The targets of a text's inline links `[text](target)`, outside code blocks and code spans. */
export function linkTargets(text: string): string[] {
  const targets: string[] = [];
  for (const line of prose(text)) {
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      targets.push(match[1] as string);
    }
  }
  return targets;
}

/** What is wrong with each relative link of one file: a path that does not exist, or an unknown anchor. */
export function brokenLinks(file: string, text = readFileSync(file, 'utf8')): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
    const [path = '', anchor] = target.split('#', 2);
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURI(path)));
    if (!existsSync(resolved)) {
      broken.push(`${file}: ${target}: no file ${resolved}`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (!resolved.endsWith('.md') || statSync(resolved).isDirectory()) {
      broken.push(`${file}: ${target}: an anchor into something that is not a Markdown file`);
      continue;
    }
    const targetText = resolved === file ? text : readFileSync(resolved, 'utf8');
    if (!anchors(targetText).has(anchor))
      broken.push(`${file}: ${target}: no heading or anchor "${anchor}" in ${resolved}`);
  }
  return broken;
}

/**
 * Paths of the repository a text names (`src/…`, `test/…`, `dev/…`, `scripts/…`, in prose or code)
 * that do not exist: a file moved or renamed without the documentation that points at it.
 */
export function missingPaths(file: string, text = readFileSync(file, 'utf8')): string[] {
  const named = text.matchAll(/(?<![\w./@:-])((?:src|test|dev|scripts)\/[\w./-]*)/g);
  const paths = new Set([...named].map((match) => (match[1] as string).replace(/\.+$/, '')));
  return [...paths].filter((path) => !existsSync(path)).map((path) => `${file}: ${path} does not exist`);
}
