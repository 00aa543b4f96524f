import * as z from 'zod';
import { pageId } from './arguments.ts';
import { LABEL_ENDPOINT_GONE, MAY_NOT_EDIT, PAGE_NOT_FOUND } from './descriptions.ts';
import { labelName, labelsOutput, pageLabels } from './labels.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    page_id: pageId.describe('The id of the page to label.'),
    labels: z.array(labelName).min(1).max(20).describe('1 to 20 label names to add.'),
  });

const output = () => z.object({ page_id: z.string(), added: z.array(z.string()), labels: labelsOutput });

export const addConfluenceLabels = defineTool({
  name: 'add_confluence_labels',
  toolset: 'labels',
  title: 'Add labels to a page',
  description: [
    'Add one or more labels (tags) to a Confluence page, e.g. to mark it reviewed or group it with related pages; labels already there are kept once, so repeating the call is harmless. Find labelled pages later with search_confluence_pages (label = "name").',
    'Names are one word each, stored lowercase; a name with spaces or any of ! # & ( ) * , . : ; < > ? @ [ ] ^ is refused with invalid_arguments before anything is sent.',
    'Returns page_id, added (the names sent) and labels [{id, name, prefix}]: every label of the page afterwards.',
    `Errors: ${PAGE_NOT_FOUND}; ${MAY_NOT_EDIT}; ${LABEL_ENDPOINT_GONE}.`,
  ].join(' '),
  schema,
  output,
  annotations: ANNOTATIONS.idempotentWrite,
  async run(args, confluence) {
    const added = [...new Set(args.labels)];
    await confluence.addLabels(args.page_id, added);
    return { page_id: args.page_id, added, labels: await pageLabels(confluence, args.page_id) };
  },
});
