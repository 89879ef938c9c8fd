// Boards in and out of the page: autosave to IndexedDB (recovered after a reload or crash), share
// links that carry the board deflate-compressed and base64url-encoded in the URL hash
// ("#board=…"), and saving a file. Compression uses the browser's own CompressionStream.
// A board that carries the user's own firmware travels as a board bundle (a zip, ../graph/bundle.ts):
// the autosave keeps the files beside the text, and its share link is "#bundle=" + base64url(zip).
import { packBoardBundle, unpackBoardBundle } from '../graph/index.ts';
import { fromBase64Url, toBase64Url } from './base64url.ts';

const DB_NAME = 'boardlab';
const STORE = 'autosave';
const KEY = 'current';

export interface SavedBoard {
  text: string;
  source: string;
  savedAt: number;
  /** The files stored with the board (the user's firmware) by the name the document gives them. */
  files?: Map<string, Uint8Array>;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB failed to open'));
  });
}

export async function saveAutosave(board: SavedBoard): Promise<void> {
  const db = await openDb();
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(board, KEY);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('autosave failed'));
    });
  } finally {
    db.close();
  }
}

export async function loadAutosave(): Promise<SavedBoard | undefined> {
  try {
    const db = await openDb();
    try {
      return await new Promise<SavedBoard | undefined>((resolve, reject) => {
        const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY);
        request.onsuccess = () => {
          const value = request.result as SavedBoard | undefined;
          resolve(value && typeof value.text === 'string' ? value : undefined);
        };
        request.onerror = () => reject(request.error ?? new Error('autosave read failed'));
      });
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}


async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

export const SHARE_PREFIX = '#board=';

/** The URL hash that carries `text`: "#board=" + base64url(deflate-raw(UTF-8)). */
export async function shareHash(text: string): Promise<string> {
  const compressed = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  return SHARE_PREFIX + toBase64Url(compressed);
}

/** The board text a share hash carries, or undefined when the hash is not one (or is damaged). */
export async function boardFromHash(hash: string): Promise<string | undefined> {
  if (!hash.startsWith(SHARE_PREFIX)) return undefined;
  try {
    const bytes = await pipe(fromBase64Url(hash.slice(SHARE_PREFIX.length)), new DecompressionStream('deflate-raw'));
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

/** The share-link hash of a board bundle: "#bundle=" + base64url(zip). */
export const SHARE_BUNDLE_PREFIX = '#bundle=';

/**
 * The longest share link the page makes, in characters. Browsers take links of up to 2 MB, but
 * mail, chat and link shorteners cut long links well before that; 32 KiB still holds a board with a
 * small firmware of its own (hello.elf adds about 3 KiB). A longer board is shared as a file.
 */
export const SHARE_LINK_LIMIT = 32 * 1024;

export type ShareLink = { ok: true; url: string } | { ok: false; length: number; limit: number };

/** A link to `base` (the page's address) that carries the board `text` and the `files` it needs. */
export async function shareLinkFor(base: string, text: string, files: ReadonlyMap<string, Uint8Array>, documentName: string): Promise<ShareLink> {
  const hash = files.size === 0 ? await shareHash(text) : SHARE_BUNDLE_PREFIX + toBase64Url(packBoardBundle({ documentName, text, files: new Map(files) }));
  const url = base + hash;
  return url.length <= SHARE_LINK_LIMIT ? { ok: true, url } : { ok: false, length: url.length, limit: SHARE_LINK_LIMIT };
}

export type SharedBoard = { ok: true; text: string; files: Map<string, Uint8Array> } | { ok: false; reason: string };

/** The board a share link's hash carries (with its files); undefined when the hash is not a share link. */
export async function sharedBoardFromHash(hash: string): Promise<SharedBoard | undefined> {
  if (hash.startsWith(SHARE_BUNDLE_PREFIX)) {
    let bytes: Uint8Array;
    try {
      bytes = fromBase64Url(hash.slice(SHARE_BUNDLE_PREFIX.length));
    } catch {
      return { ok: false, reason: 'the share link is damaged (it is not base64url text)' };
    }
    const bundle = unpackBoardBundle(bytes);
    return bundle.ok ? { ok: true, text: bundle.text, files: bundle.files } : { ok: false, reason: `the share link is damaged: ${bundle.problems[0].message}` };
  }
  if (!hash.startsWith(SHARE_PREFIX)) return undefined;
  const text = await boardFromHash(hash);
  return text === undefined ? { ok: false, reason: 'the share link is damaged (its board does not decompress)' } : { ok: true, text, files: new Map() };
}

/** Offers `bytes` as a file download. */
export function downloadBytes(bytes: Uint8Array, fileName: string, type: string): void {
  downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), fileName);
}

/** Offers `text` as a file download. */
export function downloadText(text: string, fileName: string): void {
  downloadBlob(new Blob([text], { type: 'application/json' }), fileName);
}

function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
