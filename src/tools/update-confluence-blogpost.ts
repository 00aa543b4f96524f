import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import { type BlogPost, getBlogPost, updateBlogPost } from '../confluence/blogposts.ts';
import { ApiError } from '../lib/errors.ts';
import { loadMarkdown } from '../markdown/load.ts';
import { bodyText } from './arguments.ts';
import { blogPostId, writtenBlogPost, writtenBlogPostOutput } from './blogpost-fields.ts';
import { allowRemoval, bodyFormat, refuseLoss, siteUrl, toStorage } from './body-format.ts';
import { defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      blogpost_id: blogPostId,
      version_number: z.number().int().min(1).describe('blogpost.version.number as you read it.'),
      title: z.string().trim().min(1).max(255).optional().describe('A new title; omit to keep it.'),
      body: bodyText('The new content, replacing the whole body; omit to keep it').optional(),
      body_format: bodyFormat,
      allow_removal: allowRemoval,
      status: z.enum(['current', 'draft']).default('current').describe('"current" publishes a draft.'),
      version_message: z.string().max(500).optional().describe('A note stored with the new version.'),
    })
    .superRefine((args, ctx) => {
      if (args.title === undefined && args.body === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['body'],
          message: 'nothing to change: give title and/or body',
        });
      }
    });

export const updateConfluenceBlogpost = defineTool({
  name: 'update_confluence_blogpost',
  title: 'Update a blog post',
  description:
    "Change a blog post's title and/or content as update_confluence_page changes a page: pass the version you read; a Markdown edit keeps what it does not touch byte for byte. content_loss: the Markdown drops an element it cannot rebuild.",
  schema,
  output: () =>
    writtenBlogPostOutput().extend({
      unchanged: z.boolean().describe('true when nothing was written.'),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  toolset: 'blogposts',
  async run(args, confluence) {
    const current = await readForUpdate(confluence, args.blogpost_id);
    if (args.version_number !== (current.version?.number ?? 0))
      throw versionConflict(current, args.version_number);
    let storage = current.body?.storage?.value ?? '';
    let bodyUnchanged = args.body === undefined;
    if (args.body !== undefined && args.body_format === 'markdown') {
      const { mergeMarkdown } = await loadMarkdown();
      const merge = mergeMarkdown(args.body, storage, siteUrl(confluence));
      await refuseLoss(merge, args.allow_removal);
      storage = merge.storage;
      bodyUnchanged = merge.unchanged;
    } else if (args.body !== undefined) storage = await toStorage(args.body, args.body_format, confluence);
    const title = args.title ?? current.title;
    if (
      args.body_format === 'markdown' &&
      bodyUnchanged &&
      title === current.title &&
      args.status === current.status
    ) {
      return {
        blogpost: writtenBlogPost(current, confluence),
        unchanged: true,
        message: `The content of blog post ${current.id} is unchanged; no new version was written`,
      };
    }
    const number = (current.version?.number ?? 0) + 1;
    let post: BlogPost;
    try {
      post = await updateBlogPost(confluence, current.id, {
        id: current.id,
        status: args.status,
        title,
        body: { representation: 'storage', value: storage },
        version: { number, ...(args.version_message !== undefined && { message: args.version_message }) },
      });
    } catch (error) {
      // Someone saved between our read and our write: report the version that won.
      if (error instanceof ApiError && error.code === 'version_conflict') {
        throw versionConflict(await readForUpdate(confluence, current.id).catch(() => undefined), number - 1);
      }
      throw error;
    }
    return {
      blogpost: writtenBlogPost(post, confluence),
      unchanged: false,
      message: `Successfully updated blog post ${post.id} to version ${post.version?.number}`,
    };
  },
});

function readForUpdate(confluence: ConfluenceApi, id: string): Promise<BlogPost> {
  return getBlogPost(confluence, id, { 'body-format': 'storage', status: ['current', 'draft'] });
}

function versionConflict(current: BlogPost | undefined, yours: number): ApiError {
  const version = current?.version;
  return new ApiError(
    'version_conflict',
    `The blog post ${version ? `is now at version ${version.number}` : 'has been changed by someone else'}, not version ${yours} that your change is based on; nothing was saved. Read it again with get_confluence_blogpost, merge your change, and retry with the version_number you read then.`,
    version && {
      details: {
        current_version: {
          number: version.number,
          author_id: version.authorId ?? null,
          created_at: version.createdAt ?? null,
        },
      },
    },
  );
}
