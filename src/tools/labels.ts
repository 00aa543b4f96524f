import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';

/**
 * Label names as Confluence accepts them: it stores them lowercase, and refuses whitespace and
 * the characters ! # & ( ) * , . : ; < > ? @ [ ] ^. Checked before any call, so a bad name costs
 * no round trip and gets a message that says which rule it broke.
 */
export const labelName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(
    /^[^\s!#&()*,.:;<>?@[\]^]+$/,
    'a label is one word: no spaces and none of ! # & ( ) * , . : ; < > ? @ [ ] ^',
  )
  .transform((name) => name.toLowerCase())
  .describe('A label name: one word, e.g. "runbook" or "q3-planning" (stored lowercase).');

/** The page's labels as the label tools answer them. */
export async function pageLabels(confluence: ConfluenceApi, pageId: string) {
  const { results } = await confluence.listPageLabels(pageId);
  return results.map(({ id, name, prefix }) => ({ id, name, prefix }));
}

export const labelsOutput = z
  .array(z.object({ id: z.string(), name: z.string(), prefix: z.string() }))
  .describe('Every label of the page afterwards.');
