// Where the labels of IRQ wires sit so that they do not cover each other (or the nodes). A wire's
// ports are named on the nodes, so its labels are the line numbers of the ends that have several
// lines ("10" beside plic.in), each near its own end; wires that meet at one port (three UARTs into
// plic.in) would put them on top of each other, so each label slides along its curve to the first
// place that is clear, in order. The place is a fraction t of the curve, so it follows the wire
// when a node is dragged.
import { overlaps, type Point, type Rect, type Size } from './placement.ts';

export type Side = 'left' | 'right' | 'top' | 'bottom';

export interface EdgeGeometry {
  id: string;
  source: Point;
  sourceSide: Side;
  target: Point;
  targetSide: Side;
  label: string;
}

/** React Flow's bezier control offset (getBezierPath, curvature 0.25). */
function controlOffset(distance: number, curvature = 0.25): number {
  return distance >= 0 ? 0.5 * distance : curvature * 25 * Math.sqrt(-distance);
}

function control(side: Side, from: Point, to: Point): Point {
  switch (side) {
    case 'left':
      return { x: from.x - controlOffset(from.x - to.x), y: from.y };
    case 'right':
      return { x: from.x + controlOffset(to.x - from.x), y: from.y };
    case 'top':
      return { x: from.x, y: from.y - controlOffset(from.y - to.y) };
    case 'bottom':
      return { x: from.x, y: from.y + controlOffset(to.y - from.y) };
  }
}

/** The point at fraction t of the bezier curve React Flow draws for this edge. */
export function bezierPoint(edge: Pick<EdgeGeometry, 'source' | 'sourceSide' | 'target' | 'targetSide'>, t: number): Point {
  const p0 = edge.source;
  const p1 = control(edge.sourceSide, edge.source, edge.target);
  const p2 = control(edge.targetSide, edge.target, edge.source);
  const p3 = edge.target;
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return { x: a * p0.x + b * p1.x + c * p2.x + d * p3.x, y: a * p0.y + b * p1.y + c * p2.y + d * p3.y };
}

/** The size a label takes (11 px monospace with padding), in flow units. */
export function labelSize(text: string): Size {
  return { width: text.length * 6.7 + 12, height: 20 };
}

/** A label's place: a fraction t of its wire's curve, and how far above (-) or below (+) the curve. */
export interface LabelPlace {
  t: number;
  dy: number;
}

const ALONG = [0.12, 0.2, 0.28, 0.36, 0.44, 0.52];
const ASIDE = [0, -12, 12];

/** Places a label beside a wire's source end tries, best first (on the wire, then just above or below it). */
export const SOURCE_END_PLACES: readonly LabelPlace[] = ASIDE.flatMap((dy) => ALONG.map((t) => ({ t, dy })));
/** The same beside the target end. */
export const TARGET_END_PLACES: readonly LabelPlace[] = SOURCE_END_PLACES.map(({ t, dy }) => ({ t: 1 - t, dy }));
/** Places a label that names the whole wire tries: the middle, then out towards the ends. */
export const MIDDLE_PLACES: readonly LabelPlace[] = ASIDE.flatMap((dy) => [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78].map((t) => ({ t, dy: dy * 1.6 })));

/** Where a label's centre is. */
export function labelPoint(edge: Pick<EdgeGeometry, 'source' | 'sourceSide' | 'target' | 'targetSide'>, place: LabelPlace): Point {
  const p = bezierPoint(edge, place.t);
  return { x: p.x, y: p.y + place.dy };
}

export interface LabelRequest {
  /** Names the label in the result ("irq:3:target"). */
  id: string;
  edge: Pick<EdgeGeometry, 'source' | 'sourceSide' | 'target' | 'targetSide'>;
  text: string;
  /** Places to try, best first. */
  places: readonly LabelPlace[];
}

function area(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The fraction of its curve where each label goes: the first of its places clear of labels already
 * placed and of `obstacles` (the nodes), else the least covered one. Labels are taken in order.
 */
export function placeLabels(labels: readonly LabelRequest[], obstacles: readonly Rect[] = []): Map<string, LabelPlace> {
  const placed: Rect[] = [];
  const result = new Map<string, LabelPlace>();
  for (const label of labels) {
    if (label.text === '' || label.places.length === 0) continue;
    const size = labelSize(label.text);
    let best = { place: label.places[0], cost: Infinity, rect: undefined as Rect | undefined };
    for (const place of label.places) {
      const center = labelPoint(label.edge, place);
      const rect = { x: center.x - size.width / 2, y: center.y - size.height / 2, ...size };
      // Covering another label is worse than touching a node's edge.
      const cost = placed.reduce((sum, p) => sum + (overlaps(rect, p, 3) ? area(rect, p) + 1 : 0), 0) * 4 + obstacles.reduce((sum, o) => sum + area(rect, o), 0);
      if (cost < best.cost) best = { place, cost, rect };
      if (cost === 0) break;
    }
    placed.push(best.rect!);
    result.set(label.id, best.place);
  }
  return result;
}
