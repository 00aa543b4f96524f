import { BODY_RULE } from './arguments.ts';

/**
 * What every tool shares, said once: the MCP server's `instructions` and the `instructions` beside
 * the REST catalog. The tools' own descriptions then say only when to use each and what its
 * particular errors mean next.
 */
export const TOOL_INSTRUCTIONS = [
  'These tools read and write one Confluence Cloud site on behalf of its user. Ids are numeric strings.',
  'Find pages with search_confluence_pages (CQL, e.g. text ~ "deploy" AND space = ENG) or browse with get_confluence_spaces, get_confluence_space_pages and get_confluence_page_children.',
  'A tool that takes a space takes space_id (from get_confluence_spaces) or space_key (e.g. "ENG"), one of the two.',
  'Paging: a list answers has_more and, when true, next_cursor: call again with cursor = next_cursor and the same other arguments to read on.',
  'Long content comes in slices: when truncated is true, call again with offset = next_offset (max_chars sets the slice size).',
  'Read a page with get_confluence_page before changing it: the writes that take version_number need its page.version.number, and version_conflict means someone saved since you read: read again, merge your change into the new content, retry with the new number (error.current_version). Nothing is ever overwritten unseen.',
  'Bodies: prefer body_format "markdown" to read and write: read a page in Markdown, edit, send it back, and what you did not touch (macros, mentions, layouts) is kept as it was. Markdown shows what it cannot express in forms that must stay in the text for the page to keep them: [[name: title]] for a macro, layout or complex table, [status: …], :emoticon:, [date: …], @user:<account id>, ![alt](attachment:file), [text](<page:Title>). Containers show their content between marker lines, each alone on its line: a layout as [[layout section 1 of 2: two_equal, cell 1 of 2]] … [[/layout]], a table with merged cells as [[table row 1 of 3, cell 2 of 2]] … [[/table]], a macro with a body as [[name: title]] … [[/name]], a panel as a > [!INFO] Title quote, a diagram as a fenced block named by its macro. Edit between the markers freely and keep every marker line and panel head as read: an edit inside one cell or panel changes only it. A Markdown write that drops any of these is refused with content_loss unless allow_removal is true. page.omitted names what the Markdown shows by name only (read in storage format to see it).',
  `${BODY_RULE}`,
  'author_id and the like are Atlassian account ids: search_confluence_users with account_ids names them.',
  "Every call spends points of the app's hourly Atlassian quota, shared by all users (each result's _meta.points says what it cost): a list costs a point per result it returns, so a limit 250 costs up to 251 points; ask for small pages of results. quota_exhausted: this integration's share or the shared pool is spent; use a smaller limit or a narrower search as the message says, or wait retry_after_seconds.",
  'A failed call answers error {code, message (what to do next), retryable, retry_after_seconds?}. not_found: it does not exist, the user may not see it, or it lies outside the spaces this connection may use. rate_limited: wait retry_after_seconds and repeat. needs_reauth: the user must reconnect the integration. forbidden: a policy refuses the tool (its message names the rule) or the user lacks the permission or scope. upstream_timeout on a write: check whether it happened before retrying. upstream_gone: Atlassian retired the endpoint the tool uses.',
].join(' ');

/**
 * What a connection that selected ChatGPT's pair alone is told instead: the sentences above name
 * tools it does not list.
 */
export const CHATGPT_INSTRUCTIONS = [
  'These tools search and read one Confluence Cloud site on behalf of its user.',
  'search finds pages by the words in their titles and bodies and answers their ids; fetch reads one page by id, as Markdown with its URL, space and version.',
  "Every call spends points of the app's hourly Atlassian quota, shared by all users. A failed call says what to do next: quota_exhausted or rate_limited, wait retry_after_seconds; not_found, the page does not exist, the user may not see it, or it lies outside the spaces this connection may use; needs_reauth, the user must reconnect the integration.",
].join(' ');

/** The instructions for a connection that selected these toolsets (undefined: every set). */
export function instructionsFor(toolsets: ReadonlySet<string> | undefined): string {
  const onlyChatgpt =
    toolsets !== undefined && toolsets.size > 0 && [...toolsets].every((set) => set === 'chatgpt');
  return onlyChatgpt ? CHATGPT_INSTRUCTIONS : TOOL_INSTRUCTIONS;
}
