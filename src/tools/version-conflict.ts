import type { Version } from '../confluence/types.ts';
import { ApiError } from '../lib/errors.ts';

/**
 * What every write that sends a version does when it loses the race: the version_conflict answer,
 * naming the version that won in error.details.current_version when it is known. Pages, blog posts
 * and content properties each say in their own words what to read again; this is the shared rest.
 */

export function versionConflict(message: string, winner: Version | undefined): ApiError {
  return new ApiError(
    'version_conflict',
    message,
    winner && {
      details: {
        current_version: {
          number: winner.number,
          author_id: winner.authorId ?? null,
          created_at: winner.createdAt ?? null,
        },
      },
    },
  );
}

/**
 * Runs a write that sends the next version number. When Confluence refuses it because someone saved
 * between our read and our write, throws `reportWinner()` (which reads the version that won) instead.
 */
export async function writeNextVersion<T>(
  write: () => Promise<T>,
  reportWinner: () => Promise<ApiError>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'version_conflict') throw await reportWinner();
    throw error;
  }
}
