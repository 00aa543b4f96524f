import * as z from 'zod';
import { createBlogPost } from '../confluence/blogposts.ts';
import { bodyText, oneSpace, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { writtenBlogPost, writtenBlogPostOutput } from './blogpost-fields.ts';
import { bodyFormat, toStorage } from './body-format.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      space_id: spaceId.optional(),
      space_key: spaceKey.optional(),
      title: z.string().trim().min(1).max(255),
      body: bodyText('The blog post content'),
      body_format: bodyFormat,
      status: z.enum(['current', 'draft']).default('current'),
    })
    .superRefine(oneSpace);

export const createConfluenceBlogpost = defineTool({
  name: 'create_confluence_blogpost',
  title: 'Create a blog post',
  description:
    'Publish a blog post (an announcement or dated update, not documentation: use create_confluence_page for that) in a space; the body follows the same rules as a page.',
  schema,
  output: writtenBlogPostOutput,
  annotations: ANNOTATIONS.write,
  toolset: 'blogposts',
  async run(args, confluence) {
    const spaceId = await resolveSpaceId(confluence, args);
    const post = await createBlogPost(confluence, {
      spaceId,
      status: args.status,
      title: args.title,
      body: { representation: 'storage', value: await toStorage(args.body, args.body_format, confluence) },
    });
    return {
      blogpost: writtenBlogPost(post, confluence),
      message: `Successfully created blog post '${post.title}' in space ${args.space_key ?? spaceId}`,
    };
  },
});
