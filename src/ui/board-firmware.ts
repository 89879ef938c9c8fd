// Firmware as part of the board: which CPU an opened file goes to, the document edit that makes it
// that CPU's image, what the header says runs, and whether opened bytes are firmware at all. Pure
// functions over board documents (the designer keeps the bytes of the files the user opened).
import {
  absolutePath,
  cpuArchitecture,
  documentImageFiles,
  elfMachineName,
  elfMachineOf,
  ImageError,
  isA,
  listMachineTypes,
  listTypes,
  loadableImage,
  machineTypeId,
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
  return setCpuImageEntry(document, cpuPath, file === undefined ? undefined : { cpu: relativePath(cpuPath), file, ...(format !== 'elf' && { format }) });
}

/** The document with `entry` as the image of the CPU at `cpuPath`, as setCpuImage places it (undefined removes the CPU's image). */
export function setCpuImageEntry(document: BoardDocument, cpuPath: string, entry: ImageDocument | undefined): BoardDocument {
  const next = structuredClone(document);
  const images = next.images ?? [];
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

/** The ELF machines some CPU type of the catalog runs (RISC-V, ARM). */
function knownElfMachines(): number[] {
  const machines = listTypes().flatMap((type) => {
    const architecture = cpuArchitecture(type.name);
    return architecture === undefined ? [] : [architecture.elfMachine];
  });
  return [...new Set(machines)];
}

/** The machine types whose CPUs run `elfMachine` images ("mps2-an385@1.0" for EM_ARM). */
function machineTypesRunning(elfMachine: number): string[] {
  return listMachineTypes()
    .filter((spec) => Object.values(spec.document.objects).some((o) => o?.type !== undefined && cpuArchitecture(o.type)?.elfMachine === elfMachine))
    .map(machineTypeId);
}

/** The CPU an opened file is for: its path and type. */
export interface FirmwareTarget {
  path: string;
  type: string;
}

/** The type of the object at `cpuPath` in the document (undefined when the tree has no such object). */
export function cpuTarget(document: BoardDocument, cpuPath: string): FirmwareTarget | undefined {
  const tree = objectTree(document, { platform: pagePlatform(), libraries: exampleLibraries });
  const object = tree.objects.find((o) => o.path === cpuPath);
  return object === undefined ? undefined : { path: object.path, type: object.type };
}

/**
 * Why `bytes` (a file the user opened, called `name`) cannot be the image of `cpu` (when given;
 * else of any CPU the catalog knows); undefined when it can. An ELF file built for another
 * architecture than the CPU's (an ARM ELF for a RISC-V hart) names both, and the machine types
 * that run it.
 */
export function firmwareFileProblem(bytes: Uint8Array, name: string, cpu?: FirmwareTarget): BoardProblem | undefined {
  const architecture = cpu === undefined ? undefined : cpuArchitecture(cpu.type);
  const format = imageFormatOf(bytes);
  const machine = format === 'elf' ? elfMachineOf(bytes) : undefined;
  const known = knownElfMachines();
  if (cpu !== undefined && architecture !== undefined && machine !== undefined && machine !== architecture.elfMachine && known.includes(machine)) {
    const boards = machineTypesRunning(machine);
    return {
      pointer: '',
      message: `${name}: an ELF file for ${elfMachineName(machine)}, but ${relativePath(cpu.path)} (${cpu.type}) is ${architecture.name}, which runs ${elfMachineName(architecture.elfMachine)} images`,
      hint:
        boards.length > 0
          ? `Make a board that runs it — New… → from ${boards.join(' or ')} — and open the file there; or build it for ${architecture.name} (${architecture.build.replace('{cpu}', cpu.type)}).`
          : `Build it for ${architecture.name} (${architecture.build.replace('{cpu}', cpu.type)}).`,
    };
  }
  try {
    loadableImage({ format, at: undefined }, bytes, architecture === undefined ? known : [architecture.elfMachine]);
    return undefined;
  } catch (error) {
    if (!(error instanceof ImageError)) throw error;
    return {
      pointer: '',
      message: `${name}: ${error.message}`,
      // the CPU's toolchain when the file is for a known CPU; the bundled firmware of its architecture is in the Image field
      hint: cpu !== undefined && architecture !== undefined
        ? `Open a linked ${architecture.name} ELF executable built for the board (${architecture.build.replace('{cpu}', cpu.type)}), or an Intel HEX file, or pick a bundled firmware in the CPU's Image field.`
        : "Open a linked ELF executable built for the board's CPU (or an Intel HEX file), or pick a bundled firmware in the CPU's Image field.",
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
