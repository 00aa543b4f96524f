import * as z from 'zod';
import { listSpaceBlogPosts } from '../confluence/blogposts.ts';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit, oneSpace, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { blogPostFields, blogPostFieldsOutput } from './blogpost-fields.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      space_id: spaceId.optional(),
      space_key: spaceKey.optional(),
      limit,
      status: z.enum(['current', 'trashed', 'deleted']).default('current'),
      cursor,
    })
    .superRefine(oneSpace);

const output = () =>
  z.object({
    space_id: z.string(),
    blogposts: z.array(z.object({ ...blogPostFieldsOutput, version: z.number().optional() })),
    ...pagingOutput,
  });

export const getConfluenceSpaceBlogposts = defineTool({
  name: 'get_confluence_space_blogposts',
  title: 'List the blog posts of a space',
  description:
    'List the blog posts of one space, newest first (give space_id or space_key); read one with get_confluence_blogpost.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  toolset: 'blogposts',
  async run(args, confluence) {
    const spaceId = await resolveSpaceId(confluence, args);
    const answer = await listSpaceBlogPosts(confluence, spaceId, {
      limit: args.limit,
      status: args.status,
      cursor: args.cursor,
    });
    const blogposts = answer.results.map((post) => ({
      ...blogPostFields(post, confluence),
      version: post.version?.number,
    }));
    return { space_id: spaceId, blogposts, ...pagingFields(answer._links) };
  },
});
