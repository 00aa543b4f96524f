/**
 * Sentences several tools' descriptions share, said once so that they cannot drift apart. Each is
 * one clause of a description's "Errors:" sentence.
 */

export const PAGE_NOT_FOUND = 'not_found means the page does not exist or the user may not see it';

export const RATE_LIMITED = 'rate_limited means wait retry_after_seconds and repeat';

export const LABEL_ENDPOINT_GONE = 'upstream_gone means Atlassian retired the label endpoint this tool uses';

export const MAY_NOT_EDIT = 'forbidden means the user may not edit it';
