import * as z from 'zod';
import { getBlogPost } from '../confluence/blogposts.ts';
import { loadMarkdown } from '../markdown/load.ts';
import { blogPostFields, blogPostFieldsOutput, blogPostId } from './blogpost-fields.ts';
import { maxChars, offset, sliceContent } from './slicing.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const formats = ['storage', 'markdown', 'atlas_doc_format', 'view'] as const;

const schema = () =>
  z.object({
    blogpost_id: blogPostId,
    body_format: z.enum(formats).default('storage').describe('As for get_confluence_page.'),
    get_draft: z.boolean().default(false).describe('true to read the unpublished draft.'),
    max_chars: maxChars(),
    offset: offset(),
  });

const output = () =>
  z.object({
    blogpost: z.object({
      ...blogPostFieldsOutput,
      version: z.object({
        number: z.number().optional(),
        message: z.string(),
        created_at: z.string().optional(),
      }),
      content: z.string(),
      content_format: z.enum(formats),
      labels: z.array(z.object({ id: z.string(), name: z.string(), prefix: z.string() })),
      offset: z.number(),
      total_chars: z.number(),
      truncated: z.boolean(),
      next_offset: z.number().optional(),
    }),
  });

export const getConfluenceBlogpost = defineTool({
  name: 'get_confluence_blogpost',
  title: 'Read a blog post',
  description:
    'Read one blog post by id, in slices as get_confluence_page reads a page; read it before update_confluence_blogpost.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  toolset: 'blogposts',
  async run(args, confluence) {
    const markdown = args.body_format === 'markdown';
    const format = markdown ? 'storage' : args.body_format;
    const post = await getBlogPost(confluence, args.blogpost_id, {
      'body-format': format,
      'include-labels': true,
      ...(args.get_draft && { 'get-draft': true }),
    });
    const stored = post.body?.[format]?.value ?? '';
    const content = markdown ? (await loadMarkdown()).storageToMarkdown(stored) : stored;
    const slice = sliceContent(content, args.offset, args.max_chars);
    return {
      blogpost: {
        ...blogPostFields(post, confluence),
        version: {
          number: post.version?.number,
          message: post.version?.message ?? '',
          created_at: post.version?.createdAt,
        },
        content: slice.text,
        content_format: args.body_format,
        labels: (post.labels?.results ?? []).map(({ id, name, prefix }) => ({ id, name, prefix })),
        offset: args.offset,
        total_chars: content.length,
        truncated: slice.next !== undefined,
        ...(slice.next !== undefined && { next_offset: slice.next }),
      },
    };
  },
});
