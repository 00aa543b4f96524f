import type { ConfluenceApi } from '../confluence/api.ts';
import type { Page } from '../confluence/types.ts';

/**
 * The fields every tool that returns a page shares, named as Potpie's tools name them. Each tool
 * adds its own (version as a number or an object, content, labels, _links…).
 */
export function pageFields(page: Page, confluence: ConfluenceApi) {
  return {
    id: page.id,
    status: page.status,
    title: page.title,
    space_id: page.spaceId,
    parent_id: page.parentId ?? null,
    parent_type: page.parentType ?? null,
    author_id: page.authorId,
    created_at: page.createdAt,
    url: confluence.webUrl(page._links?.webui) ?? null,
  };
}

/**
 * A page an agent just wrote, or found unchanged and left alone (writtenPageOutput in outputs.ts):
 * the shared fields, its version number and Confluence's links.
 */
export function writtenPage(page: Page, confluence: ConfluenceApi) {
  return { ...pageFields(page, confluence), version: page.version?.number, _links: page._links ?? {} };
}
