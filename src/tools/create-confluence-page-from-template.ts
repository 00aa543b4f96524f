import * as z from 'zod';
import { getTemplate, templateMissing } from '../confluence/templates.ts';
import { SpaceRefusal } from '../policy/space-fence.ts';
import { oneSpace, pageId, resolveSpaceId, spaceId, spaceKey } from './arguments.ts';
import { writtenPageOutput } from './outputs.ts';
import { pageFields } from './page-fields.ts';
import { ANNOTATIONS, defineTool } from './tool.ts';

const schema = () =>
  z
    .object({
      template_id: z.string().min(1).max(100).describe('From get_confluence_templates.'),
      space_id: spaceId.optional(),
      space_key: spaceKey.optional(),
      title: z.string().trim().min(1).max(255).describe('Unique in the space.'),
      parent_id: pageId.optional(),
    })
    .superRefine(oneSpace);

export const createConfluencePageFromTemplate = defineTool({
  name: 'create_confluence_page_from_template',
  title: 'Create a page from a template',
  description:
    "Create a page whose body is a template's; fill it in afterwards with update_confluence_page. Reads the template with Confluence's v1 API, which Atlassian is retiring.",
  schema,
  output: () => writtenPageOutput.extend({ template_id: z.string() }),
  annotations: ANNOTATIONS.write,
  toolset: 'templates',
  async run(args, confluence) {
    const spaceId = await resolveSpaceId(confluence, args);
    const template = await getTemplate(confluence, args.template_id);
    // A space's template stays within the fence: one of a space the caller may not reach is answered
    // as a template that does not exist (not as its space, which would name it).
    if (template.space?.key) {
      await confluence.spaceIdForKey(template.space.key).catch((error: unknown) => {
        if (error instanceof SpaceRefusal) throw new SpaceRefusal(templateMissing(args.template_id));
        throw error;
      });
    }
    const page = await confluence.createPage({
      spaceId,
      status: 'current',
      title: args.title,
      ...(args.parent_id !== undefined && { parentId: args.parent_id }),
      body: { representation: 'storage', value: template.body?.storage?.value ?? '' },
    });
    return {
      page: { ...pageFields(page, confluence), version: page.version?.number, _links: page._links ?? {} },
      template_id: args.template_id,
      message: `Created page '${page.title}' from template '${template.name}'`,
    };
  },
});
