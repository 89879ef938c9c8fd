// Do a board's images exist, parse, and fit where they load? Answered from the resolved board's
// memory map and the image bytes — no engine needed — so `boardlab validate` and the designer
// report it, and the engine refuses to build with the same words.
import { cpuArchitecture } from './catalog.ts';
import { addressSpaceView, type MemorySegment } from './memory-map.ts';
import { ImageError, elfMachineName, elfMachineOf, parseElf, parseIntelHex, type ImageChunk } from './image-formats.ts';
import { listMachineTypes, machineTypeId } from './machines.ts';
import { hex } from './values.ts';
import type { BoardProblem } from './problems.ts';
import { relativePath } from './references.ts';
import type { ResolvedBoard, ResolvedImage } from './resolve.ts';

/** What an image puts where, and where its CPU starts (ELF and Intel HEX entry points). */
export interface ImageLayout {
  ranges: Array<{ address: number; size: number }>;
  entry: number | undefined;
}

/** An image parsed once: its layout, and the bytes to copy and zero when it is (re)loaded. */
export interface LoadableImage extends ImageLayout {
  chunks: ImageChunk[];
  /** Bytes to zero after the chunks (ELF .bss), as [address, length]. */
  zero: Array<[number, number]>;
}

/** Parse an image by its format. Throws ImageError. */
export function loadableImage(image: Pick<ResolvedImage, 'format' | 'at'>, bytes: Uint8Array, elfMachines?: readonly number[]): LoadableImage {
  if (image.format === 'elf') {
    const elf = parseElf(bytes, elfMachines);
    return {
      ranges: elf.segments.map((s) => ({ address: s.address, size: s.memorySize })),
      entry: elf.entry,
      chunks: elf.segments.map((s) => ({ address: s.address, data: s.data })),
      zero: elf.segments.filter((s) => s.memorySize > s.data.length).map((s): [number, number] => [s.address + s.data.length, s.memorySize - s.data.length]),
    };
  }
  if (image.format === 'ihex') {
    const hex = parseIntelHex(bytes);
    return { ranges: hex.chunks.map((c) => ({ address: c.address, size: c.data.length })), entry: hex.entry, chunks: hex.chunks, zero: [] };
  }
  const address = image.at ?? 0;
  return { ranges: [{ address, size: bytes.length }], entry: undefined, chunks: [{ address, data: bytes }], zero: [] };
}

function isMemory(segment: MemorySegment): boolean {
  const kind = segment.mapping.alias?.kind ?? segment.mapping.kind;
  return kind === 'ram' || kind === 'rom';
}

/** The first address in [address, address+size) that no RAM/ROM covers, and what ends before it. */
function firstGap(view: MemorySegment[], address: number, size: number): { at: number; after: string | undefined } | undefined {
  let at = address;
  const end = address + size;
  let previous: string | undefined;
  while (at < end) {
    const segment = view.find((s) => at >= s.base && at < s.base + s.size && isMemory(s));
    if (segment === undefined) return { at, after: previous };
    previous = `${relativePath(segment.mapping.object)}.${segment.mapping.region}`;
    at = segment.base + segment.size;
  }
  return undefined;
}

/** Why an image cannot load, as a one-line reason; undefined when it can. */
export function imageFitProblem(layout: ImageLayout, view: MemorySegment[]): string | undefined {
  for (const range of layout.ranges) {
    if (range.size === 0) continue;
    const gap = firstGap(view, range.address, range.size);
    if (gap !== undefined) {
      return `does not fit in memory: its segment [${hex(range.address)}–${hex(range.address + range.size - 1)}] needs memory at ${hex(gap.at)}, where ${gap.after === undefined ? 'nothing is mapped' : `${gap.after} ends`}`;
    }
  }
  if (layout.entry !== undefined && firstGap(view, layout.entry, 2) !== undefined) return `its entry point ${hex(layout.entry)} is not in RAM or ROM`;
  return undefined;
}

/**
 * An ELF image built for another architecture than the CPU that is to run it (an ARM ELF for a
 * RISC-V hart, or the reverse): a problem at the image naming the image's ELF machine, the CPU and
 * its architecture, with how to build for it and which machine type runs the image's. Undefined
 * when the image is not an ELF file (other checks say so) or its CPU runs it.
 */
export function imageArchitectureProblem(board: ResolvedBoard, image: ResolvedImage, bytes: Uint8Array): BoardProblem | undefined {
  // ELF images always name their CPU (resolution requires it).
  const cpu = board.objects.find((o) => o.path === image.cpu);
  const machine = elfMachineOf(bytes);
  const architecture = cpu === undefined ? undefined : cpuArchitecture(cpu.type);
  if (image.format !== 'elf' || machine === undefined || cpu === undefined || architecture === undefined || architecture.elfMachine === machine) return undefined;
  const imageArchitecture = listMachineTypes().find((spec) => Object.values(spec.document.objects).some((o) => o?.type !== undefined && cpuArchitecture(o.type)?.elfMachine === machine));
  const elsewhere = imageArchitecture === undefined ? '' : `, or run it on a CPU that runs ${elfMachineName(machine)} images (a board that extends ${machineTypeId(imageArchitecture)})`;
  return {
    pointer: image.pointer,
    message: `image ${image.file}: an ELF file for ${elfMachineName(machine)}, but its CPU ${cpu.name} (${cpu.type}) is ${architecture.name}, which runs ${elfMachineName(architecture.elfMachine)} images`,
    hint: `Build the image for ${architecture.name} (${architecture.build.replace('{cpu}', cpu.type)})${elsewhere}.`,
  };
}

/** Where one image's byte range lands: a region (by "<object path>.<region>") and the offsets in it. */
interface BackedRange {
  region: string;
  start: number;
  end: number;
  /** The addresses in the image's view, for messages. */
  address: number;
  last: number;
}

/** The parts of [address, address + size) in `view` that are RAM or ROM, as ranges of the regions behind them (aliases followed). */
function backedRanges(view: MemorySegment[], address: number, size: number): BackedRange[] {
  const out: BackedRange[] = [];
  for (const segment of view) {
    const from = Math.max(address, segment.base);
    const to = Math.min(address + size, segment.base + segment.size);
    if (from >= to || !isMemory(segment)) continue;
    const { mapping } = segment;
    const region = mapping.alias === undefined ? `${mapping.object}.${mapping.region}` : `${mapping.alias.object}.${mapping.alias.region}`;
    const start = segment.offset + (from - segment.base);
    out.push({ region, start, end: start + (to - from), address: from, last: to - 1 });
  }
  return out;
}

/**
 * Images of two CPUs that load into the same bytes of memory both see (shared RAM, seen at
 * different addresses in each CPU's view): each reset, the later one overwrites part of the other.
 * A problem at the later image, naming both images, both address ranges and the region; undefined
 * when no two overlap.
 */
export function imageOverlapProblem(board: ResolvedBoard, layouts: ReadonlyArray<{ image: ResolvedImage; layout: ImageLayout }>): BoardProblem | undefined {
  const placed = layouts.map(({ image, layout }) => {
    const view = addressSpaceView(board, image.space);
    return { image, ranges: layout.ranges.filter((r) => r.size > 0).flatMap((r) => backedRanges(view, r.address, r.size)) };
  });
  for (let j = 1; j < placed.length; j++) {
    for (let i = 0; i < j; i++) {
      const [a, b] = [placed[i], placed[j]];
      if (a.image.cpu === undefined || b.image.cpu === undefined || a.image.cpu === b.image.cpu) continue;
      for (const ra of a.ranges) {
        const rb = b.ranges.find((r) => r.region === ra.region && r.start < ra.end && ra.start < r.end);
        if (rb === undefined) continue;
        const start = Math.max(ra.start, rb.start);
        const end = Math.min(ra.end, rb.end) - 1;
        const name = (image: ResolvedImage) => `image ${image.file} (CPU ${relativePath(image.cpu!)})`;
        return {
          pointer: b.image.pointer,
          message: `${name(b.image)} loads [${hex(rb.address)}–${hex(rb.last)}] and ${name(a.image)} loads [${hex(ra.address)}–${hex(ra.last)}]: both into ${relativePath(ra.region)} at offsets 0x${start.toString(16)}–0x${end.toString(16)}, memory both CPUs see`,
          hint: 'Link one of the images elsewhere in the shared memory (or outside it): at every reset the later image overwrites the other there.',
        };
      }
    }
  }
  return undefined;
}

/** Problems with a board's images: missing files, files that do not parse, images that do not fit, images of two CPUs overlapping in shared memory. */
export function checkImages(board: ResolvedBoard, files: ReadonlyMap<string, Uint8Array | undefined>): BoardProblem[] {
  const problems: BoardProblem[] = [];
  const layouts: Array<{ image: ResolvedImage; layout: ImageLayout }> = [];
  board.images.forEach((image) => {
    const pointer = image.pointer.startsWith('/images/') ? `${image.pointer}/file` : image.pointer;
    const bytes = files.get(image.file);
    if (bytes === undefined) {
      problems.push({ pointer, message: `image ${image.file}: file not found`, hint: 'Image files are found relative to the board file (and in public/ for the CLI, at the site root in the browser).' });
      return;
    }
    const wrongArchitecture = imageArchitectureProblem(board, image, bytes);
    if (wrongArchitecture !== undefined) {
      problems.push(wrongArchitecture);
      return;
    }
    try {
      const layout = loadableImage(image, bytes, elfMachinesOf(board, image));
      const reason = imageFitProblem(layout, addressSpaceView(board, image.space));
      if (reason !== undefined) problems.push({ pointer, message: `image ${image.file}: ${reason}`, hint: 'Map more memory there, or build the image for this board\'s memory map.' });
      else layouts.push({ image, layout });
    } catch (error) {
      if (!(error instanceof ImageError)) throw error;
      problems.push({ pointer, message: `image ${image.file}: ${error.message}`, hint: image.format === 'elf' ? 'Give a linked 32-bit ELF executable for the CPU (or set "format").' : 'Check the file and its "format".' });
    }
  });
  const overlap = imageOverlapProblem(board, layouts);
  if (overlap !== undefined) problems.push(overlap);
  return problems;
}

/** The ELF machine an image's CPU runs (undefined: no CPU of a known architecture; the parser's default applies). */
function elfMachinesOf(board: ResolvedBoard, image: ResolvedImage): number[] | undefined {
  const cpu = board.objects.find((o) => o.path === image.cpu);
  const architecture = cpu === undefined ? undefined : cpuArchitecture(cpu.type);
  return architecture === undefined ? undefined : [architecture.elfMachine];
}
