import type { Block, Container } from '../../../src/markdown/to-markdown.ts';

/**
 * What the corpus tests need to know about a rendering: the leaf blocks of its Markdown (at every
 * level, inside cells, bodies and panels), and the Markdown with one leaf replaced, built the way
 * the reader builds it.
 */

/** The blocks with no blocks below them, at every level: inside cells, bodies, panels and list items too. */
export function leavesOf(blocks: Block[]): Block[] {
  const leaves: Block[] = [];
  for (const block of blocks) {
    const container = block.container;
    if (container === undefined || container.syntax === 'fence' || container.syntax === 'grid')
      leaves.push(block);
    else for (const slot of container.slots) leaves.push(...leavesOf(slot.blocks));
  }
  return leaves;
}

/** The Markdown of `blocks` as the reader writes it, with `leaf` written as `replacement`. */
export function markdownWith(blocks: Block[], leaf?: Block, replacement?: string): string {
  let markdown = '';
  for (const [index, block] of blocks.entries()) {
    const container = block.container;
    const text =
      block === leaf
        ? (replacement as string)
        : container === undefined || container.syntax === 'fence' || container.syntax === 'grid'
          ? block.markdown
          : containerMarkdown(container, leaf, replacement);
    // A list nested in a list item follows the item's line directly.
    markdown += index === 0 ? text : `${block.tight ? '\n' : '\n\n'}${text}`;
  }
  return markdown;
}

function containerMarkdown(container: Container, leaf?: Block, replacement?: string): string {
  const slots = container.slots.map((slot) => ({
    marker: slot.marker,
    text: markdownWith(slot.blocks, leaf, replacement),
  }));
  if (container.syntax === 'list' || container.syntax === 'tasks') {
    return slots.map(({ marker, text }) => listItem(marker, text)).join('\n');
  }
  if (container.syntax === 'alert') {
    const [{ marker, text }] = slots as [{ marker: string; text: string }];
    return (text === '' ? marker : `${marker}\n${text}`)
      .split('\n')
      .map((line) => (line === '' ? '>' : `> ${line}`))
      .join('\n');
  }
  const parts: string[] = [];
  for (const { marker, text } of slots) parts.push(marker, ...(text === '' ? [] : [text]));
  return [...parts, container.close].join('\n\n');
}

/** An item: its marker, then its content, every line after the first indented under the marker. */
function listItem(marker: string, text: string): string {
  const [first = '', ...rest] = text.split('\n');
  const pad = ' '.repeat(marker.length);
  return [marker + first, ...rest.map((line) => (line === '' ? '' : pad + line))].join('\n').trimEnd();
}

/**
 * The leaf's Markdown with one visible change: a line added to a fence's code, else ` Edited` at
 * the end of its first line of text (inside a table row's last cell for a table). Undefined when
 * the block has no text to edit.
 */
export function editedLeaf(block: Block): string | undefined {
  const lines = block.markdown.split('\n');
  if (block.container?.syntax === 'fence') {
    lines.splice(lines.length - 1, 0, 'one more line');
    return lines.join('\n');
  }
  const at = lines.findIndex(
    (line) => /\p{L}/u.test(line) && !/^\|[ |-]+\|$/.test(line) && !line.includes('[['),
  );
  if (at === -1) return undefined;
  const line = lines[at] as string;
  lines[at] = line.endsWith(' |')
    ? `${line.slice(0, -2)} Edited |`
    : line.endsWith('\\')
      ? `${line.slice(0, -1)} Edited\\`
      : `${line} Edited`;
  return lines.join('\n');
}
