// What a board has at an address, for messages about a guest's bad accesses: "nothing is mapped at
// 0x10000000; uart0 is at 0x10001000–0x100010ff". A pure function of the resolved board (the
// engine's fault reports and the CLI use it; nothing is built).
import { addressSpaceView, type MemorySegment } from './memory-map.ts';
import { relativePath } from './references.ts';
import type { ResolvedBoard } from './resolve.ts';
import { hex } from './values.ts';

export interface AddressLookup {
  /** The segment the address lies in, if any. */
  mapped: MemorySegment | undefined;
  /** When nothing is mapped there: the closest segment(s), nearest first (empty when the space maps nothing). */
  nearest: MemorySegment[];
}

/** A neighbour farther than this many times the nearest one's distance is not worth naming. */
const NEIGHBOUR_RATIO = 4;

/** What address space `space` (as a CPU using it sees it) has at `address`. */
export function lookupAddress(board: ResolvedBoard, address: number, space = 'system'): AddressLookup {
  const at = address >>> 0;
  const segments = addressSpaceView(board, space);
  const mapped = segments.find((s) => at >= s.base && at < s.base + s.size);
  if (mapped !== undefined) return { mapped, nearest: [] };
  let below: MemorySegment | undefined;
  let above: MemorySegment | undefined;
  for (const segment of segments) {
    if (segment.base + segment.size <= at && (below === undefined || segment.base + segment.size > below.base + below.size)) below = segment;
    if (segment.base > at && (above === undefined || segment.base < above.base)) above = segment;
  }
  const candidates = [
    ...(below ? [{ segment: below, distance: at - (below.base + below.size - 1) }] : []),
    ...(above ? [{ segment: above, distance: above.base - at }] : []),
  ].sort((a, b) => a.distance - b.distance);
  const nearest = candidates.filter((c, i) => i === 0 || c.distance <= candidates[0].distance * NEIGHBOUR_RATIO).map((c) => c.segment);
  return { mapped: undefined, nearest };
}

/** What a report calls a mapped segment: its object's name ("uart0", "soc/uart0"). */
export function segmentName(segment: MemorySegment): string {
  return relativePath(segment.mapping.object);
}

function describeSegment(segment: MemorySegment): string {
  return `${segmentName(segment)} is at ${hex(segment.base)}–${hex(segment.base + segment.size - 1)}`;
}

/**
 * The board's side of a bad access at `address`: "nothing is mapped at 0x10000000; uart0 is at
 * 0x10001000–0x100010ff" (the nearest mapped region, or the two nearest when both are close), or,
 * when something is mapped there, "0x02000003 is in clint (0x02000000–0x0200ffff)".
 */
export function addressHint(board: ResolvedBoard, address: number, space = 'system'): string {
  const { mapped, nearest } = lookupAddress(board, address, space);
  if (mapped !== undefined) return `${hex(address)} is in ${segmentName(mapped)} (${hex(mapped.base)}–${hex(mapped.base + mapped.size - 1)})`;
  if (nearest.length === 0) return `nothing is mapped at ${hex(address)}; the board maps no memory${space === 'system' ? '' : ` in address space "${space}"`}`;
  return `nothing is mapped at ${hex(address)}; ${nearest.map(describeSegment).join(', ')}`;
}
