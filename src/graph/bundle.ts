// A board bundle: one zip file that carries a board document and the image files it names, so a
// board built around the user's own firmware is saved, shared and opened as one thing. The document
// sits at the top of the zip as "<name>.board.json"; each image is stored at the exact path the
// document's "images" entries name ("blinky.elf", "build/fw.elf"). Plain boards (bundled firmware
// only) stay plain .board.json files; a bundle is only made when there are files to carry.
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { boardTextFromBytes } from './board-input.ts';
import type { BoardProblem } from './problems.ts';
import type { BoardDocument } from './schema.ts';

/** A zip file starts with a local file header ("PK\x03\x04"), or is an empty archive ("PK\x05\x06"). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** The ELF magic (7f 'E' 'L' 'F'): firmware, whatever the file is called. */
export function startsWithElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Everything a bundle expands to is held in memory: refuse archives that would expand past this. */
export const BUNDLE_EXPANDED_LIMIT = 64 * 1024 * 1024;

export interface BoardBundle {
  /** The board document's file name inside the bundle, e.g. "my-board.board.json". */
  documentName: string;
  /** The board document, as text. */
  text: string;
  /** Image files by the path the document names them with. */
  files: Map<string, Uint8Array>;
}

export type UnpackResult = ({ ok: true } & BoardBundle) | { ok: false; problems: BoardProblem[] };

/** The image files a document names (its own "images" entries; a base machine type's images are bundled firmware). */
export function documentImageFiles(document: BoardDocument): string[] {
  const images = Array.isArray(document.images) ? document.images : [];
  return [...new Set(images.map((image) => image?.file).filter((file): file is string => typeof file === 'string' && file !== ''))];
}

/** "untitled (edited)" / "my board.json" → "untitled.board.json" / "my_board.board.json". */
export function bundleDocumentName(name: string): string {
  const stem = name.replace(/ \(edited\)$/, '').replace(/\.board\.(json|zip)$/, '').replace(/\.(json|zip)$/, '').replace(/[^\w.-]+/g, '_') || 'board';
  return `${stem}.board.json`;
}

/** Zips the board document and `files` (deflated) into one bundle. */
export function packBoardBundle(bundle: BoardBundle): Uint8Array {
  const entries: Zippable = { [bundle.documentName]: new TextEncoder().encode(bundle.text) };
  for (const [path, bytes] of bundle.files) {
    if (path === bundle.documentName) continue;
    entries[path] = bytes;
  }
  return zipSync(entries, { level: 9 });
}

const problem = (message: string, hint: string): UnpackResult => ({ ok: false, problems: [{ pointer: '', message, hint }] });

/** Reads a bundle back: its one board document and every other file in it. Bad archives get one clear problem. */
export function unpackBoardBundle(bytes: Uint8Array): UnpackResult {
  if (!isZip(bytes)) return problem('not a board bundle (a zip file)', 'Open a .board.json file, or a .board.zip that BoardLab saved.');
  let expanded = 0;
  let tooBig = false;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        expanded += file.originalSize;
        if (expanded > BUNDLE_EXPANDED_LIMIT) tooBig = true;
        return !tooBig && !file.name.endsWith('/');
      },
    });
  } catch (error) {
    return problem(`the zip file is damaged (${error instanceof Error ? error.message : String(error)})`, 'Save the board again, or open its .board.json file.');
  }
  if (tooBig) return problem(`the zip file expands to more than ${BUNDLE_EXPANDED_LIMIT / (1024 * 1024)} MiB`, 'A board bundle holds a board document and its firmware images; open a smaller one.');
  const names = Object.keys(entries);
  const documents = names.filter((name) => !name.includes('/') && name.endsWith('.board.json'));
  const candidates = documents.length > 0 ? documents : names.filter((name) => !name.includes('/') && name.endsWith('.json'));
  if (candidates.length === 0) return problem('the zip file holds no board document (no .board.json at its top level)', 'A board bundle holds one board document and the image files it names.');
  if (candidates.length > 1) return problem(`the zip file holds ${candidates.length} board documents (${candidates.join(', ')})`, 'A board bundle holds one board document; open one of them on its own.');
  const documentName = candidates[0];
  const files = new Map<string, Uint8Array>();
  for (const name of names) if (name !== documentName) files.set(name, entries[name]);
  const text = boardTextFromBytes(entries[documentName]);
  if (!text.ok) return { ok: false, problems: [{ ...text.problem, message: `${documentName} in the zip file: ${text.problem.message}` }] };
  return { ok: true, documentName, text: text.text, files };
}
