import type { ConfluenceApi } from './api.ts';

/**
 * Page templates (REST v1 `/wiki/rest/api/template`): v2 has no template API, and Atlassian is
 * retiring v1 from the OAuth gateway, so a 410 here becomes `upstream_gone` naming the operation.
 */

export interface Template {
  templateId: string;
  name: string;
  description?: string;
  space?: { key?: string; name?: string };
  labels?: Array<{ name: string }>;
  body?: { storage?: { value?: string } };
}

export interface TemplateList {
  results: Template[];
  start: number;
  limit: number;
  size: number;
  _links?: { next?: string };
}

/** A space's page templates (`spaceKey`), or the site's (none), from `start`. */
export function listPageTemplates(
  confluence: ConfluenceApi,
  query: { spaceKey?: string; start: number; limit: number },
) {
  return confluence.request<TemplateList>({
    method: 'GET',
    path: '/wiki/rest/api/template/page',
    query,
    // The tool resolves spaceKey through the fence first; the site's templates belong to no space.
    within: 'confined',
    scope: 'read:confluence-content.summary',
    notFound: `No space with key "${query.spaceKey}" exists, or the connected user may not see it.`,
  });
}

export const templateMissing = (id: string) =>
  `Template ${id} does not exist or the connected user may not see it. List templates with get_confluence_templates.`;

export function getTemplate(confluence: ConfluenceApi, id: string) {
  return confluence.request<Template>({
    method: 'GET',
    path: `/wiki/rest/api/template/${encodeURIComponent(id)}`,
    within: 'none',
    scope: 'read:confluence-content.summary',
    notFound: templateMissing(id),
  });
}
