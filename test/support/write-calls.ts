import { tools } from '../../src/tools/registry.ts';

/** Seeded ids (dev/emulator/seed.ts) the calls below name. */
const ARCHITECTURE = '65538';
const RUNBOOKS = '65539';
const BLOG_POST = '65547';

/** Valid arguments for each tool that writes, so a policy test can call every one of them. */
const WRITE_ARGS: Record<string, Record<string, unknown>> = {
  create_confluence_page: { space_key: 'ENG', title: 'Refused', body: 'x' },
  update_confluence_page: { page_id: ARCHITECTURE, version_number: 5, body: 'x' },
  update_confluence_page_section: {
    page_id: ARCHITECTURE,
    version_number: 5,
    heading: 'Overview',
    body: 'x',
  },
  add_confluence_comment: { page_id: ARCHITECTURE, comment: 'x' },
  add_confluence_inline_comment: { page_id: ARCHITECTURE, text_selection: 'platform', comment: 'x' },
  add_confluence_labels: { page_id: ARCHITECTURE, labels: ['refused'] },
  remove_confluence_label: { page_id: ARCHITECTURE, label: 'design' },
  upload_confluence_attachment: { page_id: ARCHITECTURE, filename: 'refused.txt', content: 'x' },
  move_confluence_page: { page_id: ARCHITECTURE, version_number: 5, parent_id: RUNBOOKS },
  delete_confluence_page: { page_id: ARCHITECTURE, version_number: 5 },
  create_confluence_blogpost: { space_key: 'ENG', title: 'Refused', body: 'x' },
  update_confluence_blogpost: { blogpost_id: BLOG_POST, version_number: 1, body: 'x' },
  set_confluence_page_property: { page_id: ARCHITECTURE, key: 'refused', value: { x: 1 } },
  resolve_confluence_inline_comment: { comment_id: '65904' },
  restore_confluence_page_version: { page_id: ARCHITECTURE, version_number: 5, restore_version: 2 },
  copy_confluence_page: { page_id: ARCHITECTURE },
  create_confluence_folder: { space_key: 'ENG', title: 'Refused' },
  create_confluence_whiteboard_or_database: { type: 'whiteboard', space_key: 'ENG', title: 'Refused' },
  delete_confluence_whiteboard_or_database: { id: '65562', type: 'whiteboard' },
  create_confluence_page_from_template: { template_id: '2002', space_key: 'ENG', title: 'Refused' },
  add_confluence_page_restriction: { page_id: ARCHITECTURE, operation: 'update', group_name: 'engineering' },
  remove_confluence_page_restriction: {
    page_id: ARCHITECTURE,
    operation: 'update',
    group_name: 'engineering',
  },
  update_confluence_task: { task_id: '65970', status: 'complete' },
  delete_confluence_page_property: { page_id: ARCHITECTURE, key: 'review-status', version_number: 2 },
};

/**
 * Every tool of the registry that writes (its annotations say so), with arguments it accepts. A
 * write tool added without arguments here fails the tests that use this, so none goes untested.
 */
export function writeCalls(): [string, Record<string, unknown>][] {
  return tools
    .filter((tool) => tool.annotations.readOnlyHint === false)
    .map((tool) => {
      const args = WRITE_ARGS[tool.name];
      if (!args)
        throw new Error(`test/support/write-calls.ts has no arguments for the write tool ${tool.name}`);
      return [tool.name, args];
    });
}
