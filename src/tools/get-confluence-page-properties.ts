import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { listPageProperties } from '../confluence/properties.ts';
import { cursor, limit } from './arguments.ts';
import { pagingOutput } from './outputs.ts';
import {
  ownerFields,
  ownerOf,
  ownerOutput,
  propertyArguments,
  propertyKey,
  propertyOutput,
  shapeProperty,
} from './page-properties.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  propertyArguments({ key: propertyKey.optional().describe('Omit to list all.'), limit, cursor });

const output = () =>
  z.object({
    ...ownerOutput,
    properties: z.array(propertyOutput()),
    ...pagingOutput,
  });

export const getConfluencePageProperties = defineTool({
  name: 'get_confluence_page_properties',
  title: "Read a page's properties",
  description:
    "Read a page's (or blog post's) content properties (JSON values stored under keys by apps and automations), all of them or one key; note each version before set_confluence_page_property or delete_confluence_page_property.",
  schema,
  output,
  annotations: ANNOTATIONS.read,
  toolset: 'properties',
  async run(args, confluence) {
    const owner = ownerOf(args);
    const answer = await listPageProperties(confluence, owner, {
      limit: args.limit,
      cursor: args.cursor,
      ...(args.key !== undefined && { key: args.key }),
    });
    return {
      ...ownerFields(owner),
      properties: answer.results.map(shapeProperty),
      ...pagingFields(answer._links),
    };
  },
});
