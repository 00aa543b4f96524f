import * as z from 'zod';
import { pageId } from './arguments.ts';
import { labelName, labelsOutput, pageLabels } from './labels.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId,
    labels: z.array(labelName).min(1).max(20),
  });

const output = () => z.object({ page_id: z.string(), added: z.array(z.string()), labels: labelsOutput });

export const addConfluenceLabels = defineTool({
  name: 'add_confluence_labels',
  toolset: 'labels',
  title: 'Add labels to a page',
  description:
    'Add labels (one lowercase word each) to a page, e.g. to mark it reviewed; labels it has stay once. Find labelled pages with search_confluence_pages (label = "name").',
  schema,
  output,
  annotations: ANNOTATIONS.idempotentWrite,
  async run(args, confluence) {
    const added = [...new Set(args.labels)];
    await confluence.addLabels(args.page_id, added);
    return { page_id: args.page_id, added, labels: await pageLabels(confluence, args.page_id) };
  },
});
