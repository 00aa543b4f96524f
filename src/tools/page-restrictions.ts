import * as z from 'zod';
import type { Restrictions, Subject } from '../confluence/restrictions.ts';

/** What the restriction tools share: who they name, and how a page's restrictions are answered. */

export const restrictionArguments = {
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

export function oneSubject(args: { account_id?: string; group_name?: string }, ctx: z.RefinementCtx): void {
  if ((args.account_id === undefined) === (args.group_name === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['account_id'],
      message: 'give either account_id (a user) or group_name (a group), exactly one of them',
    });
  }
}

export function subjectOf(args: { account_id?: string; group_name?: string }): Subject {
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
