import * as z from 'zod';
import type { User, V1User } from '../confluence/types.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const accountId = z
  .string()
  .regex(/^[\w:-]{1,128}$/, 'expected an Atlassian account id, e.g. "5b10ac8d82e05b22cc7d4ef5"');

const schema = () =>
  z
    .object({
      query: z
        .string()
        .trim()
        .min(2)
        .max(100)
        .optional()
        .describe('A fragment of a name or email, e.g. "alice".'),
      account_ids: z.array(accountId).min(1).max(100).optional().describe('E.g. the author_id of a page.'),
      current: z.literal(true).optional().describe('true for the connected user.'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(50)
        .default(10)
        .describe('With query. Each person costs 2 quota points.'),
    })
    .superRefine((args, ctx) => {
      const given = [args.query, args.account_ids, args.current].filter((v) => v !== undefined).length;
      if (given !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['query'],
          message: 'give exactly one of query (a name or email fragment), account_ids, or current: true',
        });
      }
    });

const output = () =>
  z.object({
    users: z.array(
      z.object({
        account_id: z.string().nullable(),
        display_name: z.string().nullable(),
        email: z.string().optional(),
        type: z.string(),
      }),
    ),
  });

export const searchConfluenceUsers = defineTool({
  name: 'search_confluence_users',
  toolset: 'people',
  title: 'Find people',
  description:
    'Find Atlassian accounts by a name or email fragment, by account id (to name an author_id), or the connected user (current: true). There is no paging: narrow the query.',
  schema,
  output,
  annotations: ANNOTATIONS.read,
  async run(args, confluence) {
    if (args.current) return { users: [fromV1(await confluence.currentUser())] };
    if (args.account_ids) {
      const { results } = await confluence.usersById(args.account_ids);
      return { users: results.map(fromV2) };
    }
    const escaped = (args.query ?? '').replace(/["\\]/g, '\\$&');
    const { results } = await confluence.searchUsers(`user.fullname ~ "${escaped}"`, args.limit);
    return {
      users: results
        .flatMap((result) => (result.user?.accountId ? [fromV1(result.user)] : []))
        .slice(0, args.limit),
    };
  },
});

function fromV1(user: V1User) {
  return {
    account_id: user.accountId ?? null,
    display_name: user.displayName ?? user.publicName ?? null,
    ...(user.email && { email: user.email }),
    type: user.accountType || 'atlassian',
  };
}

function fromV2(user: User) {
  return {
    account_id: user.accountId,
    display_name: user.displayName ?? user.publicName ?? null,
    ...(user.email && { email: user.email }),
    type: user.accountType ?? 'atlassian',
  };
}
