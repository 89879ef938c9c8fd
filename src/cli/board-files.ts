// Reading board documents and image files from disk, with one-line errors for bad input. A board
// file may also be a board bundle (a .board.zip the designer saves: the document and the image files
// it names, src/graph/bundle.ts); its images are then taken from the bundle first.
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LibraryReadError, assembleSourceImages, boardShapeProblem, boardSizeProblem, boardTextFromBytes, configToBoard, isZip, parseBoard, resolveBoard, unpackBoardBundle, type BoardDocument, type BoardProblem, type BoardResult, type ResolvedBoard } from '../graph/index.ts';

/**
 * The project's public/ folder: the firmware library the browser serves at /. Two levels up from
 * this file (src/cli/), and from the prebuilt CLI's bundle too (dist-cli/<build>/main.js).
 */
export const PUBLIC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../public');

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** A config-file board starts with a comment or a [section]; anything else is read as JSON. */
function isConfigText(text: string): boolean {
  return /^\s*([#;]|\[[a-z])/.test(text);
}

/** The image files of the board bundles read so far, by the bundle's absolute path. */
const bundledImages = new Map<string, ReadonlyMap<string, Uint8Array>>();

/** A board file's document text; a bundle's image files are kept for readImages. */
async function readText(file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    // Refuse a huge file before reading it (a bundle holds images too, but expands to no more than this).
    const tooBig = boardSizeProblem((await stat(file)).size);
    if (tooBig) throw new InputError(`${file}: ${tooBig.message}. ${tooBig.hint}`);
    bytes = new Uint8Array(await readFile(file));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: ${describeFsError(error)}`);
  }
  if (!isZip(bytes)) {
    const text = boardTextFromBytes(bytes);
    if (!text.ok) throw new InputError(`${file}: ${text.problem.message}. ${text.problem.hint}`);
    return text.text;
  }
  const bundle = unpackBoardBundle(bytes);
  if (!bundle.ok) throw new InputError(`${file}: ${bundle.problems[0].message}`);
  bundledImages.set(resolve(file), bundle.files);
  return bundle.text;
}

/** The bytes of image `file` when the board file `boardFile` is a bundle that carries it. */
function bundledImage(file: string, boardFile: string | undefined): Uint8Array | undefined {
  return boardFile === undefined ? undefined : bundledImages.get(resolve(boardFile))?.get(file);
}

/** The library files a document names, read relative to the board file (failures become LibraryReadErrors). */
export async function readLibraries(document: unknown, boardDir: string): Promise<Map<string, unknown>> {
  const libraries = new Map<string, unknown>();
  const names = (document as { libraries?: unknown }).libraries;
  if (!Array.isArray(names)) return libraries;
  for (const name of names) {
    if (typeof name !== 'string') continue;
    try {
      libraries.set(name, parseLibrary(new Uint8Array(await readFile(isAbsolute(name) ? name : join(boardDir, name)))));
    } catch (error) {
      libraries.set(name, new LibraryReadError(error instanceof SyntaxError ? `not valid JSON (${error.message})` : describeFsError(error)));
    }
  }
  return libraries;
}

/** A library file's document, with the same limits as a board file (UTF-8 text, not too big, not nested without end). */
function parseLibrary(bytes: Uint8Array): unknown {
  const text = boardTextFromBytes(bytes);
  if (!text.ok) return new LibraryReadError(text.problem.message);
  const library: unknown = JSON.parse(text.text); // a SyntaxError is reported by the caller
  const shape = boardShapeProblem(library, 'library');
  return shape ? new LibraryReadError(shape.message) : library;
}

/** Parse a board file's text (JSON or config-file form) into a document, or problems; never something that is not a board-shaped object. */
function parseDocument(text: string): { document: unknown } | { problems: BoardProblem[] } {
  if (isConfigText(text)) {
    const config = configToBoard(text);
    return config.ok ? { document: config.document } : { problems: config.problems };
  }
  try {
    const document: unknown = JSON.parse(text);
    const shape = boardShapeProblem(document);
    return shape ? { problems: [shape] } : { document };
  } catch {
    const result = parseBoard(text); // for its line-and-column syntax problem
    return { problems: result.ok ? [] : result.problems };
  }
}

/** Read and resolve a board file (JSON or config-file form), with its libraries. */
export async function readBoardFile(file: string, platform?: string): Promise<BoardResult> {
  const parsed = parseDocument(await readText(file));
  if ('problems' in parsed) return { ok: false, problems: parsed.problems };
  return resolveBoard(parsed.document, { platform, libraries: await readLibraries(parsed.document, dirname(file)) });
}

/** Read a board file as a document, and check that it resolves. */
export async function readBoardDocument(file: string, platform?: string): Promise<{ document: BoardDocument; result: BoardResult } | { problems: BoardProblem[] }> {
  const parsed = parseDocument(await readText(file));
  if ('problems' in parsed) return { problems: parsed.problems };
  const document = parsed.document as BoardDocument;
  const result = resolveBoard(document, { platform, libraries: await readLibraries(document, dirname(file)) });
  return result.ok ? { document, result } : { problems: result.problems };
}

/** Where an image named in a board lives: beside the board file, else in public/. */
export function locateImage(file: string, boardDir: string): string {
  if (isAbsolute(file)) return file;
  const beside = join(boardDir, file);
  if (existsSync(beside)) return beside;
  const library = join(PUBLIC_DIR, file);
  return existsSync(library) ? library : beside;
}

/** The image files a board names: from its bundle when `boardFile` is one that carries them, else from disk. */
export async function readImages(files: readonly string[], boardDir: string, boardFile?: string): Promise<Map<string, Uint8Array>> {
  const images = new Map<string, Uint8Array>();
  for (const file of files) {
    const carried = bundledImage(file, boardFile);
    if (carried) {
      images.set(file, carried);
      continue;
    }
    const path = locateImage(file, boardDir);
    try {
      images.set(file, new Uint8Array(await readFile(path)));
    } catch (error) {
      throw new InputError(`image ${file}: ${describeFsError(error)}${path !== file ? ` (looked for ${path})` : ''}`);
    }
  }
  return images;
}

/**
 * The bytes of every image `board` loads: files read as readImages reads them, and the ELFs its
 * sources assemble to (by the source's name). Assembly errors are problems at the source's text
 * ("main.s:3:5: error: …"); the images are then incomplete and the board must not run.
 */
export async function readBoardImages(board: ResolvedBoard, boardDir: string, boardFile?: string): Promise<{ images: Map<string, Uint8Array>; problems: BoardProblem[]; warnings: BoardProblem[] }> {
  const assembled = assembleSourceImages(board);
  const files = [...new Set(board.images.filter((image) => image.source === undefined).map((image) => image.file))];
  const images = await readImages(files, boardDir, boardFile);
  for (const [name, elf] of assembled.files) images.set(name, elf);
  return { images, problems: assembled.problems, warnings: assembled.warnings };
}

/** An image's bytes, or undefined when the file cannot be read (validation reports it). */
export async function readImageIfPresent(file: string, boardDir: string, boardFile?: string): Promise<Uint8Array | undefined> {
  const carried = bundledImage(file, boardFile);
  if (carried) return carried;
  try {
    return new Uint8Array(await readFile(locateImage(file, boardDir)));
  } catch {
    return undefined;
  }
}

export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

export function formatProblem(source: string, problem: BoardProblem): string {
  return `${source}#${problem.pointer}: ${problem.message}. ${problem.hint}`;
}
