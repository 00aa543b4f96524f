import * as z from 'zod';
import { deletePageProperty, ownerName } from '../confluence/properties.ts';
import { ApiError } from '../lib/errors.ts';
import {
  findProperty,
  ownerFields,
  ownerOf,
  ownerOutput,
  propertyArguments,
  propertyKey,
  propertyVersion,
  requireVersion,
} from './page-properties.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () => propertyArguments({ key: propertyKey, version_number: propertyVersion });

export const deleteConfluencePageProperty = defineTool({
  name: 'delete_confluence_page_property',
  title: 'Delete a page property',
  description:
    'Delete one content property of a page or blog post for good. version_conflict means it changed since you read it: read it again before deciding.',
  schema,
  output: () => z.object({ ...ownerOutput, key: z.string(), message: z.string() }),
  annotations: ANNOTATIONS.destructiveIdempotentWrite,
  toolset: 'properties',
  async run(args, confluence) {
    const owner = ownerOf(args);
    const current = await findProperty(confluence, owner, args.key);
    if (!current) {
      throw new ApiError(
        'not_found',
        `The ${ownerName(owner)} has no property "${args.key}"; nothing was deleted.`,
      );
    }
    requireVersion(current, owner, args.version_number);
    await deletePageProperty(confluence, owner, current.id, args.key);
    return {
      ...ownerFields(owner),
      key: args.key,
      message: `Deleted property "${args.key}" of ${ownerName(owner)}`,
    };
  },
});
