// Boards in and out of the page: autosave to IndexedDB (recovered after a reload or crash), share
// links that carry the board deflate-compressed and base64url-encoded in the URL hash
// ("#board=…"), and saving a file. Compression uses the browser's own CompressionStream.

const DB_NAME = 'boardlab';
const STORE = 'autosave';
const KEY = 'current';

export interface SavedBoard {
  text: string;
  source: string;
  savedAt: number;
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

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
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

/** Offers `text` as a file download. */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
