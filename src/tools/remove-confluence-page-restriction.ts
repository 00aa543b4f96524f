import { changeRestrictions, restrictionChangeOutput, restrictionChangeSchema } from './page-restrictions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

export const removeConfluencePageRestriction = defineTool({
  name: 'remove_confluence_page_restriction',
  title: 'Remove a user or group from a page restriction',
  description:
    "Take a user or group off a page's read or update restriction: they lose that access unless another entry grants it (removing the last entry lifts the restriction). Atlassian is retiring the v1 API it uses.",
  schema: restrictionChangeSchema,
  output: restrictionChangeOutput,
  annotations: ANNOTATIONS.destructiveIdempotentWrite,
  toolset: 'restrictions',
  run: (args, confluence) => changeRestrictions(confluence, 'remove', args),
});
