// Where nodes go so that none covers another: a dropped or added node lands at the nearest free spot
// to where it was asked for, and after a layout the nodes ELK placed step aside for the ones the user
// placed. Pure geometry on rectangles, in flow coordinates.

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export type Rect = Point & Size;

/** Do two rectangles overlap, or come closer than `gap`? */
export function overlaps(a: Rect, b: Rect, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/** Distance between grid candidates of the free-spot search, in flow units. */
const STEP = 20;
/** How far the search looks (rings of STEP) before giving up and going below everything. */
const RINGS = 80;

/**
 * The position nearest to `want` where a box of `size` keeps `gap` from every obstacle: `want`
 * itself when it is free, else the nearest point of a grid around it (rings of growing distance).
 * With `within` (the part of the view in sight), a spot inside it wins over a nearer one outside.
 */
export function nearestFreeSpot(want: Point, size: Size, obstacles: readonly Rect[], gap = 16, within?: Rect): Point {
  if (within) {
    const inside = (p: Point) => p.x >= within.x && p.y >= within.y && p.x + size.width <= within.x + within.width && p.y + size.height <= within.y + within.height;
    const spot = nearestFreeSpot(want, size, obstacles, gap);
    if (inside(spot)) return spot;
    const inSight = nearestFreeSpotWhere(want, size, obstacles, gap, inside);
    if (inSight) return inSight;
    return spot;
  }
  return nearestFreeSpotWhere(want, size, obstacles, gap, () => true) ?? belowEverything(want, obstacles, gap);
}

function belowEverything(want: Point, obstacles: readonly Rect[], gap: number): Point {
  const bottom = Math.max(...obstacles.map((o) => o.y + o.height));
  return { x: want.x, y: bottom + gap };
}

function nearestFreeSpotWhere(want: Point, size: Size, obstacles: readonly Rect[], gap: number, allowed: (p: Point) => boolean): Point | undefined {
  const free = (p: Point) => allowed(p) && !obstacles.some((o) => overlaps({ x: p.x, y: p.y, width: size.width, height: size.height }, o, gap));
  if (free(want)) return want;
  let best: Point | undefined;
  let bestDistance = Infinity;
  // Every point of ring r is at least r * STEP away, so once that passes the best found, stop.
  for (let ring = 1; ring <= RINGS && ring * STEP < bestDistance; ring++) {
    for (let i = -ring; i <= ring; i++) {
      // Below and to the right first: on a tie, a node steps down or right, as reading goes.
      for (const [dx, dy] of [
        [i, ring],
        [ring, i],
        [-ring, i],
        [i, -ring],
      ]) {
        const p = { x: want.x + dx * STEP, y: want.y + dy * STEP };
        const distance = Math.hypot(p.x - want.x, p.y - want.y);
        if (distance < bestDistance && free(p)) {
          best = p;
          bestDistance = distance;
        }
      }
    }
  }
  return best;
}

export interface PlacedNode extends Rect {
  id: string;
  /** The user put it there (dragged or dropped): it stays, others step aside. */
  pinned: boolean;
}

/**
 * Positions where no node covers another: pinned nodes stay where they are (they may overlap each
 * other: the user put them so); each other node that would cover one already placed moves to the
 * nearest free spot. Nodes are taken in order, pinned ones first.
 */
export function separate(nodes: readonly PlacedNode[], gap = 16): Map<string, Point> {
  const placed: Rect[] = [];
  const result = new Map<string, Point>();
  for (const node of nodes.filter((n) => n.pinned)) {
    placed.push(node);
    result.set(node.id, { x: node.x, y: node.y });
  }
  for (const node of nodes.filter((n) => !n.pinned)) {
    const spot = placed.some((p) => overlaps(node, p, gap)) ? nearestFreeSpot(node, node, placed, gap) : { x: node.x, y: node.y };
    placed.push({ ...spot, width: node.width, height: node.height });
    result.set(node.id, spot);
  }
  return result;
}
