import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import { type BlogPost, getBlogPost, updateBlogPost } from '../confluence/blogposts.ts';
import { bodyText } from './arguments.ts';
import { blogPostId, writtenBlogPost, writtenBlogPostOutput } from './blogpost-fields.ts';
import { allowRemoval, bodyFormat } from './body-format.ts';
import { nextVersion, titleOrBody, updateAnswer } from './content-update.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';
import { versionConflict, writeNextVersion } from './version-conflict.ts';

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
    .superRefine(titleOrBody);

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
  annotations: ANNOTATIONS.idempotentWrite,
  toolset: 'blogposts',
  async run(args, confluence) {
    const current = await readForUpdate(confluence, args.blogpost_id);
    const read = current.version?.number ?? 0;
    if (args.version_number !== read) throw blogPostConflict(current, args.version_number);
    const next = await nextVersion(args, current, confluence);
    if (!next) return updateAnswer('blogpost', 'blog post', writtenBlogPost(current, confluence), true);
    const post = await writeNextVersion(
      () =>
        updateBlogPost(confluence, current.id, {
          id: current.id,
          status: next.status,
          title: next.title,
          body: { representation: 'storage', value: next.storage },
          version: { number: read + 1, ...(next.message !== undefined && { message: next.message }) },
        }),
      async () => blogPostConflict(await readForUpdate(confluence, current.id).catch(() => undefined), read),
    );
    return updateAnswer('blogpost', 'blog post', writtenBlogPost(post, confluence), false);
  },
});

function readForUpdate(confluence: ConfluenceApi, id: string): Promise<BlogPost> {
  return getBlogPost(confluence, id, { 'body-format': 'storage', status: ['current', 'draft'] });
}

function blogPostConflict(current: BlogPost | undefined, yours: number) {
  const version = current?.version;
  return versionConflict(
    `The blog post ${version ? `is now at version ${version.number}` : 'has been changed by someone else'}, not version ${yours} that your change is based on; nothing was saved. Read it again with get_confluence_blogpost, merge your change, and retry with the version_number you read then.`,
    version,
  );
}
