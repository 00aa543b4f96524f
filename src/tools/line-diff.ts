/**
 * A unified, line-based diff (the `diff -u` format agents know), by Myers' algorithm on the lines
 * left after the common head and tail are set aside. The edit distance explored is capped: past it,
 * the differing middle is reported as one replaced block, so a rewrite costs bounded time.
 */
const MAX_EDIT_DISTANCE = 2_000;
const CONTEXT_LINES = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

export interface LineDiff {
  text: string;
  added: number;
  removed: number;
}

export function unifiedDiff(before: string[], after: string[], labels: [string, string]): LineDiff {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  const ops: Op[] = [
    ...before.slice(0, head).map((line): Op => ({ kind: ' ', line })),
    ...middle(before.slice(head, before.length - tail), after.slice(head, after.length - tail)),
    ...before.slice(before.length - tail).map((line): Op => ({ kind: ' ', line })),
  ];
  const added = ops.filter((op) => op.kind === '+').length;
  const removed = ops.filter((op) => op.kind === '-').length;
  if (added === 0 && removed === 0) return { text: '', added, removed };
  return { text: [`--- ${labels[0]}`, `+++ ${labels[1]}`, ...hunks(ops)].join('\n'), added, removed };
}

/** The shortest edit script from a to b, or "remove all, add all" when it is too long to search. */
function middle(a: string[], b: string[]): Op[] {
  const replaced = (): Op[] => [
    ...a.map((line): Op => ({ kind: '-', line })),
    ...b.map((line): Op => ({ kind: '+', line })),
  ];
  if (a.length === 0 || b.length === 0) return replaced();
  const n = a.length;
  const m = b.length;
  const offset = n + m;
  const v = new Int32Array(2 * offset + 2);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(n + m, MAX_EDIT_DISTANCE); d++) {
    // Only diagonals -d-1…d+1 matter at this step: keeping just them bounds memory by d².
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return replaced();
}

function backtrack(trace: Int32Array[], a: string[], b: string[], depth: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d > 0; d--) {
    const window = trace[d] as Int32Array;
    const at = (k: number) => window[k + d + 1] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      ops.push({ kind: ' ', line: a[--x] as string });
    }
    if (down) ops.push({ kind: '+', line: b[--y] as string });
    else ops.push({ kind: '-', line: a[--x] as string });
  }
  while (x > 0 && y > 0) {
    y--;
    ops.push({ kind: ' ', line: a[--x] as string });
  }
  return ops.reverse();
}

/** The changed lines with CONTEXT_LINES of context, grouped into `@@ -a,b +c,d @@` hunks. */
function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  let i = 0;
  const oldLine = new Int32Array(ops.length + 1);
  const newLine = new Int32Array(ops.length + 1);
  for (let j = 0; j < ops.length; j++) {
    oldLine[j + 1] = (oldLine[j] as number) + (ops[j]?.kind === '+' ? 0 : 1);
    newLine[j + 1] = (newLine[j] as number) + (ops[j]?.kind === '-' ? 0 : 1);
  }
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.kind === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - CONTEXT_LINES);
    let end = i;
    // Extend while the next change is within two contexts of the last one.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]?.kind !== ' ') end = j + 1;
      else if (j - end >= 2 * CONTEXT_LINES) break;
    }
    const stop = Math.min(ops.length, end + CONTEXT_LINES);
    const oldCount = (oldLine[stop] as number) - (oldLine[start] as number);
    const newCount = (newLine[stop] as number) - (newLine[start] as number);
    out.push(
      `@@ -${(oldLine[start] as number) + (oldCount ? 1 : 0)},${oldCount} +${(newLine[start] as number) + (newCount ? 1 : 0)},${newCount} @@`,
    );
    for (let j = start; j < stop; j++) out.push(`${ops[j]?.kind}${ops[j]?.line}`);
    i = stop;
  }
  return out;
}
