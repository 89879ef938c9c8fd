// Lessons in links: the whole lesson in the URL hash ("#lesson=" + base64url(deflate-raw(UTF-8
// JSON)), compressed with fflate), or "?lesson=<url>" naming a lesson file on the same server. Both
// forms stay valid across BoardLab versions: the lesson says its format (lessonFormat), and an old
// one is upgraded or refused with the reason (../graph/lesson.ts).
import { deflateSync, inflateSync } from 'fflate';
import { fromBase64Url, toBase64Url } from './base64url.ts';

export const LESSON_HASH_PREFIX = '#lesson=';
export const LESSON_QUERY = 'lesson';


/** A link to `base` (the page's address without hash) that carries the lesson's text. */
export function lessonLink(base: string, text: string): string {
  return base + LESSON_HASH_PREFIX + toBase64Url(deflateSync(new TextEncoder().encode(text), { level: 9 }));
}

/** Where a page address says to get a lesson from, if it says. */
export type LessonLocation = { kind: 'inline'; text: string } | { kind: 'url'; url: string } | { kind: 'damaged'; reason: string };

/**
 * The lesson a page address names: inline in its hash, or a file URL in its query, which must be on
 * the page's own server (the page runs cross-origin isolated: other servers' files do not load,
 * and a lesson from anywhere is what the inline form is for). Undefined: the address names none.
 */
export function lessonLocation(href: string): LessonLocation | undefined {
  const address = new URL(href);
  if (address.hash.startsWith(LESSON_HASH_PREFIX)) {
    try {
      return { kind: 'inline', text: new TextDecoder('utf-8', { fatal: true }).decode(inflateSync(fromBase64Url(address.hash.slice(LESSON_HASH_PREFIX.length)))) };
    } catch {
      return { kind: 'damaged', reason: 'the lesson link is damaged (its lesson does not decompress); ask for the link again' };
    }
  }
  const named = address.searchParams.get(LESSON_QUERY);
  if (named === null) return undefined;
  let file: URL;
  try {
    file = new URL(named, address);
  } catch {
    return { kind: 'damaged', reason: `?lesson=${named} is not an address` };
  }
  if (file.origin !== address.origin) return { kind: 'damaged', reason: `?lesson= names a file on another server (${file.origin}); a lesson file must be on this server (${address.origin}), or be shared as a lesson link` };
  return { kind: 'url', url: file.href };
}
