import { changeRestrictions, restrictionChangeOutput, restrictionChangeSchema } from './page-restrictions.ts';
import { defineTool } from './tool.ts';

export const removeConfluencePageRestriction = defineTool({
  name: 'remove_confluence_page_restriction',
  title: 'Remove a user or group from a page restriction',
  description:
    "Take a user or group off a page's read or update restriction: they lose that access unless another entry grants it (removing the last entry lifts the restriction). Atlassian is retiring the v1 API it uses.",
  schema: restrictionChangeSchema,
  output: restrictionChangeOutput,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  toolset: 'restrictions',
  run: (args, confluence) => changeRestrictions(confluence, 'remove', args),
});
