import { describe, expect, it } from 'vitest';
import { READABLE_ZOOM, readableViewport } from './fit.ts';

describe('readableViewport', () => {
  it('centres a board that fits, at no more than 100 %', () => {
    const viewport = readableViewport({ x: 0, y: 0, width: 200, height: 100 }, 800, 600);
    expect(viewport.zoom).toBe(1);
    expect(viewport.x).toBe(300);
    expect(viewport.y).toBe(250);
  });

  it('zooms out to fit a bigger board while its text still reads', () => {
    const viewport = readableViewport({ x: 100, y: 50, width: 1000, height: 400 }, 848, 600);
    expect(viewport.zoom).toBeCloseTo(0.8);
    // the board's left edge lands at the margin, its top centred
    expect(100 * viewport.zoom + viewport.x).toBeCloseTo(24);
    expect(50 * viewport.zoom + viewport.y + (400 * viewport.zoom) / 2).toBeCloseTo(300);
  });

  it('never goes below the readable zoom: a board too big shows its top-left part', () => {
    const viewport = readableViewport({ x: -40, y: 10, width: 3000, height: 2000 }, 500, 400);
    expect(viewport.zoom).toBe(READABLE_ZOOM);
    expect(-40 * viewport.zoom + viewport.x).toBe(24);
    expect(10 * viewport.zoom + viewport.y).toBe(24);
  });
});
