import * as z from 'zod';

/**
 * Whiteboards and databases: Confluence's REST API serves their metadata only (no canvas, no rows),
 * so one set of tools covers them both, the type an argument.
 */

export const boardType = z.enum(['whiteboard', 'database']);
export const NO_CONTENT = 'Their content (a canvas, rows) cannot be read or written over the REST API.';
