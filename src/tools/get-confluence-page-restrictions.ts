import * as z from 'zod';
import { getRestrictions } from '../confluence/restrictions.ts';
import { pageId } from './arguments.ts';
import { restrictionsOutput, shapeRestrictions } from './page-restrictions.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

export const getConfluencePageRestrictions = defineTool({
  name: 'get_confluence_page_restrictions',
  title: "Read a page's restrictions",
  description:
    "Read who a page's viewing (read) and editing (update) are restricted to; empty lists mean the space's permissions apply. Uses Confluence's v1 API, which Atlassian is retiring.",
  schema: () => z.object({ page_id: pageId }),
  output: () => z.object({ page_id: z.string() }).extend(restrictionsOutput().shape),
  annotations: ANNOTATIONS.read,
  toolset: 'restrictions',
  async run(args, confluence) {
    return { page_id: args.page_id, ...shapeRestrictions(await getRestrictions(confluence, args.page_id)) };
  },
});
