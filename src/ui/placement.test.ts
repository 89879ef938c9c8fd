import { describe, expect, it } from 'vitest';
import { nearestFreeSpot, overlaps, separate, type Rect } from './placement';

const box = { width: 200, height: 80 };

describe('free spots', () => {
  it('are the wanted point when nothing is in the way', () => {
    expect(nearestFreeSpot({ x: 10, y: 10 }, box, [{ x: 400, y: 0, width: 200, height: 80 }])).toEqual({ x: 10, y: 10 });
  });

  it('are the nearest point that clears every obstacle by the gap', () => {
    const obstacle: Rect = { x: 0, y: 0, width: 200, height: 80 };
    const spot = nearestFreeSpot({ x: 0, y: 0 }, box, [obstacle], 16);
    expect(overlaps({ ...spot, ...box }, obstacle, 16)).toBe(false);
    // straight below is 96 + a step of rounding away; to the side is 216: below wins
    expect(spot).toEqual({ x: 0, y: 100 });
  });

  it('find a hole between several obstacles and never land on one', () => {
    const obstacles: Rect[] = [];
    for (let row = 0; row < 5; row++) for (let col = 0; col < 5; col++) if (!(row === 2 && col === 3)) obstacles.push({ x: col * 260, y: row * 140, width: 200, height: 80 });
    const spot = nearestFreeSpot({ x: 520, y: 280 }, box, obstacles, 16);
    for (const o of obstacles) expect(overlaps({ ...spot, ...box }, o, 16)).toBe(false);
    expect(Math.hypot(spot.x - 520, spot.y - 280)).toBeLessThan(300);
  });
});

describe('separating a layout', () => {
  it('keeps pinned nodes and moves the others off them', () => {
    const result = separate([
      { id: 'elk', x: 0, y: 0, ...box, pinned: false },
      { id: 'dropped', x: 20, y: 20, ...box, pinned: true },
      { id: 'far', x: 1000, y: 0, ...box, pinned: false },
    ]);
    expect(result.get('dropped')).toEqual({ x: 20, y: 20 });
    expect(result.get('far')).toEqual({ x: 1000, y: 0 });
    const moved = { ...result.get('elk')!, ...box };
    expect(overlaps(moved, { x: 20, y: 20, ...box }, 16)).toBe(false);
  });

  it('leaves no two nodes over each other, however many start in one place', () => {
    const nodes = Array.from({ length: 12 }, (_, i) => ({ id: `n${i}`, x: 0, y: 0, ...box, pinned: i === 0 }));
    const result = separate(nodes);
    const rects = nodes.map((n) => ({ ...result.get(n.id)!, ...box }));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
  });
});

describe('free spots in sight', () => {
  it('prefer a spot inside the part of the view in sight over a nearer one outside it', () => {
    const obstacle: Rect = { x: 0, y: 0, width: 200, height: 80 };
    const sight: Rect = { x: -10, y: -10, width: 500, height: 200 };
    // free straight below would be nearest, but the view ends above it: beside it is in sight
    const spot = nearestFreeSpot({ x: 0, y: 0 }, box, [obstacle], 16, { ...sight, height: 150 });
    expect(spot).toEqual({ x: 220, y: 0 });
    expect(nearestFreeSpot({ x: 0, y: 0 }, box, [obstacle], 16, sight)).toEqual({ x: 0, y: 100 });
  });

  it('fall back to the nearest spot anywhere when nothing in sight is free', () => {
    const obstacle: Rect = { x: 0, y: 0, width: 200, height: 80 };
    expect(nearestFreeSpot({ x: 0, y: 0 }, box, [obstacle], 16, { x: 0, y: 0, width: 210, height: 90 })).toEqual({ x: 0, y: 100 });
  });
});
