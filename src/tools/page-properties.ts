import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import {
  type ContentProperty,
  listPageProperties,
  ownerName,
  type PropertyOwner,
} from '../confluence/properties.ts';
import { pageId } from './arguments.ts';
import { blogPostId, onePageOrBlogPost } from './blogpost-fields.ts';
import { versionConflict } from './version-conflict.ts';

/** What the three property tools share: whose properties, the key, the shaping, and the version check. */

/**
 * A property tool's arguments: page_id, or blogpost_id for a blog post's properties (exactly one),
 * then the tool's own.
 */
export function propertyArguments<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({
      page_id: pageId.optional(),
      blogpost_id: blogPostId.optional().describe('Instead of page_id.'),
      ...shape,
    })
    .superRefine(onePageOrBlogPost);
}

export function ownerOf(args: { page_id?: string; blogpost_id?: string }): PropertyOwner {
  return args.blogpost_id !== undefined
    ? { blogPostId: args.blogpost_id }
    : { pageId: args.page_id as string };
}

/** The owner as the answers name it: `{page_id}` or `{blogpost_id}`. */
export function ownerFields(owner: PropertyOwner) {
  return 'pageId' in owner ? { page_id: owner.pageId } : { blogpost_id: owner.blogPostId };
}

export const ownerOutput = {
  page_id: z.string().optional(),
  blogpost_id: z.string().optional(),
};

export const propertyKey = z
  .string()
  .regex(/^[\w.:-]{1,255}$/, 'expected a key of letters, digits and . _ : - (at most 255 characters)');

export const propertyVersion = z.number().int().min(1).describe("The property's version as you read it.");

export const propertyOutput = () =>
  z.object({
    id: z.string(),
    key: z.string(),
    value: z.unknown().describe('The JSON value.'),
    version: z.object({
      number: z.number().nullable(),
      message: z.string().nullable(),
      author_id: z.string().nullable(),
      created_at: z.string().nullable(),
    }),
  });

export function shapeProperty(property: ContentProperty) {
  return {
    id: property.id,
    key: property.key,
    value: property.value,
    version: {
      number: property.version?.number ?? null,
      message: property.version?.message ?? null,
      author_id: property.version?.authorId ?? null,
      created_at: property.version?.createdAt ?? null,
    },
  };
}

/** The property with this key, if the page (or blog post) has one. */
export async function findProperty(
  confluence: ConfluenceApi,
  owner: PropertyOwner,
  key: string,
): Promise<ContentProperty | undefined> {
  const { results } = await listPageProperties(confluence, owner, { key, limit: 1 });
  return results.find((property) => property.key === key);
}

/** version_conflict unless the property is still at the version the caller read. */
export function requireVersion(
  property: ContentProperty,
  owner: PropertyOwner,
  yours: number | undefined,
): void {
  const current = property.version?.number ?? 1;
  if (yours === current) return;
  throw propertyConflict(property, owner, yours);
}

export function propertyConflict(
  property: ContentProperty | undefined,
  owner: PropertyOwner,
  yours: number | undefined,
) {
  const version = property?.version;
  const now = version ? `is at version ${version.number}` : 'has been changed by someone else';
  const based = yours === undefined ? 'and you gave no version_number' : `not version ${yours}`;
  return versionConflict(
    `The property "${property?.key ?? ''}" of ${ownerName(owner)} ${now}, ${based}; nothing was changed. Read it with get_confluence_page_properties (key), then retry with its version.number.`,
    version,
  );
}
