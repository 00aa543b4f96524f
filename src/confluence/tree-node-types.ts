import type { ContentType } from '../policy/space-fence.ts';

/** The node types of a page tree the gateway knows; Confluence may add others (listed, not acted on). */
export const TREE_NODE_TYPES = ['page', 'folder', 'whiteboard', 'database', 'embed'] as const;
export type TreeNodeType = (typeof TREE_NODE_TYPES)[number];

export function isTreeNodeType(type: string | undefined): type is TreeNodeType {
  return (TREE_NODE_TYPES as readonly string[]).includes(type ?? '');
}

/** A tree node the gateway can start from: its id and its type. */
export interface TreeNodeRef {
  id: string;
  type: TreeNodeType;
}

/** How an error names a content type: "Folder 123", "Blog post 456". */
export function contentTypeName(type: ContentType | 'page'): string {
  return type === 'blogpost'
    ? 'Blog post'
    : type === 'embed'
      ? 'Smart link'
      : `${type.charAt(0).toUpperCase()}${type.slice(1)}`;
}
