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

export const removeConfluencePageRestriction = defineTool({
  name: 'remove_confluence_page_restriction',
  title: 'Remove a user or group from a page restriction',
  description:
    "Take a user or group off a page's read or update restriction: they lose that access unless another entry grants it (removing the last entry lifts the restriction). Atlassian is retiring the v1 API it uses.",
  schema: () => z.object({ page_id: pageId, ...restrictionArguments }).superRefine(oneSubject),
  output: () => z.object({ page_id: z.string(), message: z.string() }).extend(restrictionsOutput().shape),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  toolset: 'restrictions',
  async run(args, confluence) {
    await changeRestriction(confluence, 'DELETE', args.page_id, args.operation, subjectOf(args));
    const after = shapeRestrictions(await getRestrictions(confluence, args.page_id));
    return {
      page_id: args.page_id,
      ...after,
      message: `Removed ${args.account_id ?? `group ${args.group_name}`} from the ${args.operation} restriction of page ${args.page_id}`,
    };
  },
});
