import * as z from 'zod';
import { pagingFields } from '../confluence/paging.ts';
import { cursor, limit } from './arguments.ts';
import { pagingOutput } from './outputs.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z.object({
    limit,
    space_type: z
      .enum([
        'all',
        'global',
        'personal',
        'collaboration',
        'knowledge_base',
        'system',
        'onboarding',
        'xflow_sample_space',
      ])
      .default('all')
      .describe('"global": team spaces.'),
    cursor,
  });

const output = () =>
  z.object({
    spaces: z.array(
      z.object({
        id: z.string(),
        key: z.string().optional(),
        name: z.string().optional(),
        type: z.string().optional(),
        status: z.string().optional(),
        homepage_id: z.string().nullable(),
        description: z.string(),
      }),
    ),
    total: z.number().describe('The number of spaces in this answer.'),
    ...pagingOutput,
  });

export const getConfluenceSpaces = defineTool({
  name: 'get_confluence_spaces',
  toolset: 'search',
  title: 'List spaces',
  description:
    'List the spaces the user can see, to find the space id or key the page tools take. Start here when you do not know where content lives.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    const answer = await confluence.listSpaces({
      limit: args.limit,
      type: args.space_type === 'all' ? undefined : args.space_type,
      cursor: args.cursor,
    });
    const spaces = answer.results.map((space) => ({
      id: space.id,
      key: space.key,
      name: space.name,
      type: space.type,
      status: space.status,
      homepage_id: space.homepageId ?? null,
      description: space.description?.plain?.value ?? '',
    }));
    return { spaces, total: spaces.length, ...pagingFields(answer._links) };
  },
});
