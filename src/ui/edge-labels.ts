// Where each edge's label sits so that labels do not cover each other (or the nodes): wires that
// run side by side (four from the CLINT and PLIC into one hart) would all put their label at the
// middle. Each label slides along its own curve to the first place that is clear, in edge order.
// The place is a fraction t of the curve, so it follows the edge when a node is dragged.
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

/** The size a label takes (11 px monospace with React Flow's label padding), in flow units. */
export function labelSize(text: string): Size {
  return { width: text.length * 6.7 + 12, height: 18 };
}

/** Fractions of the curve a label tries, best first: the middle, then out towards the ends. */
export const LABEL_PLACES: readonly number[] = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85];

function area(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * The fraction of its curve where each labelled edge's label goes: the first place (LABEL_PLACES)
 * clear of labels already placed and of `obstacles` (the nodes), else the least covered one.
 */
export function placeLabels(edges: readonly EdgeGeometry[], obstacles: readonly Rect[] = []): Map<string, number> {
  const placed: Rect[] = [];
  const result = new Map<string, number>();
  for (const edge of edges) {
    if (edge.label === '') continue;
    const size = labelSize(edge.label);
    let best = { t: LABEL_PLACES[0], cost: Infinity, rect: undefined as Rect | undefined };
    for (const t of LABEL_PLACES) {
      const center = bezierPoint(edge, t);
      const rect = { x: center.x - size.width / 2, y: center.y - size.height / 2, ...size };
      // Covering another label is worse than touching a node's edge.
      const cost = placed.reduce((sum, p) => sum + (overlaps(rect, p, 2) ? area(rect, p) + 1 : 0), 0) * 4 + obstacles.reduce((sum, o) => sum + area(rect, o), 0);
      if (cost < best.cost) best = { t, cost, rect };
      if (cost === 0) break;
    }
    placed.push(best.rect!);
    result.set(edge.id, best.t);
  }
  return result;
}
