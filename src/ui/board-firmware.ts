// Firmware as part of the board: which CPU an opened file goes to, the document edit that makes it
// that CPU's image, what the header says runs, and whether opened bytes are firmware at all. Pure
// functions over board documents (the designer keeps the bytes of the files the user opened).
import {
  absolutePath,
  documentImageFiles,
  ImageError,
  isA,
  loadableImage,
  objectTree,
  relativePath,
  type BoardDocument,
  type BoardProblem,
  type ImageDocument,
  type ResolvedBoard,
} from '../graph/index.ts';
import { exampleLibraries, pagePlatform } from './board-text.ts';
import { imageFileName } from './images.ts';

/** The canonical paths of the document's CPUs, in document order (a document that does not resolve yet too). */
export function cpuPaths(document: BoardDocument): string[] {
  const tree = objectTree(document, { platform: pagePlatform(), libraries: exampleLibraries });
  return tree.objects.filter((object) => isA(object.type, 'cpu')).map((object) => object.path);
}

/** The CPU an opened firmware goes to: the selected object if it is a CPU, else the first CPU (undefined: none). */
export function targetCpu(document: BoardDocument, selection: string | null): string | undefined {
  const cpus = cpuPaths(document);
  return selection !== null && cpus.includes(selection) ? selection : cpus[0];
}

function namesCpu(image: ImageDocument, cpuPath: string): boolean {
  return typeof image?.cpu === 'string' && absolutePath(image.cpu) === cpuPath;
}

/** The image file the document names for the CPU at `cpuPath` (its own "images" entries). */
export function cpuImageFile(document: BoardDocument, cpuPath: string): string | undefined {
  return (document.images ?? []).find((image) => namesCpu(image, cpuPath))?.file;
}

/** Intel HEX is text that starts with a ':' record; anything else is read as ELF (and refused with a reason if it is not). */
export function imageFormatOf(bytes: Uint8Array): 'elf' | 'ihex' {
  return bytes.length > 0 && bytes[0] === 0x3a ? 'ihex' : 'elf';
}

/**
 * The document with `file` as the image of the CPU at `cpuPath`: the CPU's entry is replaced where
 * it stands (so its JSON Pointer stays), other entries for that CPU go; `file` undefined removes the
 * CPU's image. Entries for other CPUs, and images not tied to a CPU, are kept.
 */
export function setCpuImage(document: BoardDocument, cpuPath: string, file: string | undefined, format: 'elf' | 'ihex' = 'elf'): BoardDocument {
  const next = structuredClone(document);
  const images = next.images ?? [];
  const entry: ImageDocument | undefined = file === undefined ? undefined : { cpu: relativePath(cpuPath), file, ...(format !== 'elf' && { format }) };
  const first = images.findIndex((image) => namesCpu(image, cpuPath));
  const kept: ImageDocument[] = [];
  images.forEach((image, index) => {
    if (!namesCpu(image, cpuPath)) kept.push(image);
    else if (index === first && entry) kept.push(entry);
  });
  if (first < 0 && entry) kept.push(entry);
  if (kept.length > 0) next.images = kept;
  else delete next.images;
  return next;
}

/** What the header says runs: the board's image files by name ("hello.elf"), or null when no CPU has one. */
export function firmwareLabel(board: ResolvedBoard): string | null {
  const names = [...new Set(board.images.map((image) => imageFileName(image.file)))];
  return names.length === 0 ? null : names.join(', ');
}

/** Why `bytes` (a file the user opened, called `name`) cannot be a CPU's image; undefined when it can. */
export function firmwareFileProblem(bytes: Uint8Array, name: string): BoardProblem | undefined {
  try {
    loadableImage({ format: imageFormatOf(bytes), at: undefined }, bytes);
    return undefined;
  } catch (error) {
    if (!(error instanceof ImageError)) throw error;
    return {
      pointer: '',
      message: `${name}: ${error.message}`,
      hint: 'Open a linked RISC-V ELF executable (or an Intel HEX file), or pick a bundled firmware (hello, blinky, …) in the CPU\'s Image field.',
    };
  }
}

/** The files of `stored` the document names: what has to travel with the board (autosave, Save, Share). */
export function filesToCarry(document: BoardDocument | null, stored: ReadonlyMap<string, Uint8Array>): Map<string, Uint8Array> {
  const carried = new Map<string, Uint8Array>();
  if (!document) return carried;
  for (const file of documentImageFiles(document)) {
    const bytes = stored.get(file);
    if (bytes) carried.set(file, bytes);
  }
  return carried;
}
