import * as z from 'zod';
import type { ConfluenceApi } from '../confluence/api.ts';
import {
  changeRestriction,
  getRestrictions,
  type Restrictions,
  type Subject,
} from '../confluence/restrictions.ts';
import { pageId } from './arguments.ts';

/**
 * What the restriction tools share: who they name, the change add and remove make, and how a page's
 * restrictions are answered.
 */

const restrictionArguments = {
  operation: z
    .enum(['read', 'update'])
    .describe('"read" (who may see the page) or "update" (who may edit it).'),
  account_id: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('From search_confluence_users; or give group_name.'),
  group_name: z.string().min(1).max(255).optional().describe('Or a group, by name.'),
};

function oneSubject(args: { account_id?: string; group_name?: string }, ctx: z.RefinementCtx): void {
  if ((args.account_id === undefined) === (args.group_name === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['account_id'],
      message: 'give either account_id (a user) or group_name (a group), exactly one of them',
    });
  }
}

function subjectOf(args: { account_id?: string; group_name?: string }): Subject {
  return args.account_id !== undefined
    ? { accountId: args.account_id }
    : { groupName: args.group_name as string };
}

const listOutput = () =>
  z.object({
    users: z.array(z.object({ account_id: z.string(), display_name: z.string().nullable() })),
    groups: z.array(z.object({ name: z.string(), id: z.string().nullable() })),
  });

export const restrictionsOutput = () => z.object({ read: listOutput(), update: listOutput() });

export function shapeRestrictions(answer: Restrictions) {
  const shape = (operation: 'read' | 'update') => ({
    users: (answer[operation]?.restrictions?.user?.results ?? [])
      .filter((user) => typeof user.accountId === 'string')
      .map((user) => ({ account_id: user.accountId as string, display_name: user.displayName ?? null })),
    groups: (answer[operation]?.restrictions?.group?.results ?? []).map((group) => ({
      name: group.name,
      id: group.id ?? null,
    })),
  });
  return { read: shape('read'), update: shape('update') };
}

/** The arguments of add_ and remove_confluence_page_restriction: the page, the operation, and who. */
export const restrictionChangeSchema = () =>
  z.object({ page_id: pageId, ...restrictionArguments }).superRefine(oneSubject);

export const restrictionChangeOutput = () =>
  z.object({ page_id: z.string(), message: z.string() }).extend(restrictionsOutput().shape);

const CHANGES = {
  add: { method: 'PUT', done: 'Added', into: 'to' },
  remove: { method: 'DELETE', done: 'Removed', into: 'from' },
} as const;

/**
 * Adds the user or group to the operation's restriction, or removes them; answers with the page's
 * restrictions as they are then.
 */
export async function changeRestrictions(
  confluence: ConfluenceApi,
  change: keyof typeof CHANGES,
  args: z.output<ReturnType<typeof restrictionChangeSchema>>,
) {
  const { method, done, into } = CHANGES[change];
  await changeRestriction(confluence, method, args.page_id, args.operation, subjectOf(args));
  const after = shapeRestrictions(await getRestrictions(confluence, args.page_id));
  return {
    page_id: args.page_id,
    ...after,
    message: `${done} ${args.account_id ?? `group ${args.group_name}`} ${into} the ${args.operation} restriction of page ${args.page_id}`,
  };
}
