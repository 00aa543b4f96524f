import { changeRestrictions, restrictionChangeOutput, restrictionChangeSchema } from './page-restrictions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

export const addConfluencePageRestriction = defineTool({
  name: 'add_confluence_page_restriction',
  title: 'Add a user or group to a page restriction',
  description:
    'Let a user or group view (read) or edit (update) a page under restriction. The first name added to an operation restricts it to those named, so include the connected user. Uses the v1 restrictions API, which Atlassian is retiring.',
  schema: restrictionChangeSchema,
  output: restrictionChangeOutput,
  annotations: ANNOTATIONS.idempotentWrite,
  toolset: 'restrictions',
  run: (args, confluence) => changeRestrictions(confluence, 'add', args),
});
