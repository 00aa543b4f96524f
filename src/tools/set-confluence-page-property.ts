import * as z from 'zod';
import {
  type ContentProperty,
  createPageProperty,
  ownerName,
  updatePageProperty,
} from '../confluence/properties.ts';
import { ApiError } from '../lib/errors.ts';
import {
  findProperty,
  ownerFields,
  ownerOf,
  ownerOutput,
  propertyArguments,
  propertyConflict,
  propertyKey,
  propertyOutput,
  propertyVersion,
  requireVersion,
  shapeProperty,
} from './page-properties.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';
import { writeNextVersion } from './version-conflict.ts';

/** Confluence keeps at most 32 KB of JSON in one property. */
export const MAX_PROPERTY_BYTES = 32 * 1024;

const schema = () =>
  propertyArguments({
    key: propertyKey,
    value: z.json().describe('Any JSON value, at most 32 KB.'),
    version_number: propertyVersion.optional().describe('For an existing key: its version as you read it.'),
  }).superRefine((args, ctx) => {
    const bytes = new TextEncoder().encode(JSON.stringify(args.value)).byteLength;
    if (bytes > MAX_PROPERTY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: `too large: ${bytes} bytes of JSON, Confluence keeps at most ${MAX_PROPERTY_BYTES}; store less, or split it over several keys`,
      });
    }
  });

export const setConfluencePageProperty = defineTool({
  name: 'set_confluence_page_property',
  title: 'Set a page property',
  description:
    'Create or replace one content property of a page or blog post (a JSON value under a key). Replacing needs the version you read: version_conflict means it changed or exists already, so read it again.',
  schema,
  output: () =>
    z.object({ ...ownerOutput, property: propertyOutput(), created: z.boolean(), message: z.string() }),
  annotations: ANNOTATIONS.idempotentWrite,
  toolset: 'properties',
  async run(args, confluence) {
    const owner = ownerOf(args);
    const current = await findProperty(confluence, owner, args.key);
    let property: ContentProperty;
    if (!current) {
      if (args.version_number !== undefined) {
        throw new ApiError(
          'not_found',
          `The ${ownerName(owner)} has no property "${args.key}" (it may have been deleted); nothing was changed. Omit version_number to create it.`,
        );
      }
      property = await createPageProperty(confluence, owner, { key: args.key, value: args.value });
    } else {
      requireVersion(current, owner, args.version_number);
      const number = (current.version?.number ?? 1) + 1;
      property = await writeNextVersion(
        () =>
          updatePageProperty(confluence, owner, current.id, {
            key: args.key,
            value: args.value,
            version: { number },
          }),
        async () => propertyConflict(await findProperty(confluence, owner, args.key), owner, number - 1),
      );
    }
    return {
      ...ownerFields(owner),
      property: shapeProperty(property),
      created: !current,
      message: `${current ? 'Updated' : 'Created'} property "${args.key}" of ${ownerName(owner)} (version ${property.version?.number ?? 1})`,
    };
  },
});
