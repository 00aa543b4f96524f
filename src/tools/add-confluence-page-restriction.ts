import * as z from 'zod';
import { changeRestriction, getRestrictions } from '../confluence/restrictions.ts';
import { pageId } from './arguments.ts';
import {
  oneSubject,
  restrictionArguments,
  restrictionsOutput,
  shapeRestrictions,
  subjectOf,
} from './page-restrictions.ts';
import { defineTool } from './tool.ts';

export const addConfluencePageRestriction = defineTool({
  name: 'add_confluence_page_restriction',
  title: 'Add a user or group to a page restriction',
  description:
    'Let a user or group view (read) or edit (update) a page under restriction. The first name added to an operation restricts it to those named, so include the connected user. Uses the v1 restrictions API, which Atlassian is retiring.',
  schema: () => z.object({ page_id: pageId, ...restrictionArguments }).superRefine(oneSubject),
  output: () => z.object({ page_id: z.string(), message: z.string() }).extend(restrictionsOutput().shape),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  toolset: 'restrictions',
  async run(args, confluence) {
    await changeRestriction(confluence, 'PUT', args.page_id, args.operation, subjectOf(args));
    const after = shapeRestrictions(await getRestrictions(confluence, args.page_id));
    return {
      page_id: args.page_id,
      ...after,
      message: `Added ${args.account_id ?? `group ${args.group_name}`} to the ${args.operation} restriction of page ${args.page_id}`,
    };
  },
});
