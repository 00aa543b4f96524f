import * as z from 'zod';
import { pageId } from './arguments.ts';
import { labelName, labelsOutput, pageLabels } from './labels.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    label: labelName,
  });

const output = () =>
  z.object({
    page_id: z.string(),
    label: z.string(),
    removed: z.boolean(),
    labels: labelsOutput,
  });

export const removeConfluenceLabel = defineTool({
  name: 'remove_confluence_label',
  toolset: 'labels',
  title: 'Remove a label from a page',
  description:
    'Remove one label from a page. A label the page does not have changes nothing (removed: false).',
  schema,
  output,
  annotations: ANNOTATIONS.destructiveIdempotentWrite,
  async run(args, confluence) {
    const before = await pageLabels(confluence, args.page_id);
    if (!before.some((label) => label.name === args.label)) {
      return { page_id: args.page_id, label: args.label, removed: false, labels: before };
    }
    await confluence.removeLabel(args.page_id, args.label);
    const labels = before.filter((label) => label.name !== args.label);
    return { page_id: args.page_id, label: args.label, removed: true, labels };
  },
});
