import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { bezierPoint, labelSize, placeLabels, type EdgeGeometry } from './edge-labels';
import { overlaps } from './placement';

const wire = (id: string, y1: number, y2: number, label = 'msip[0] → msip'): EdgeGeometry => ({ id, source: { x: 0, y: y1 }, sourceSide: 'right', target: { x: 300, y: y2 }, targetSide: 'left', label });

function labelRect(edge: EdgeGeometry, t: number) {
  const c = bezierPoint(edge, t);
  const size = labelSize(edge.label);
  return { x: c.x - size.width / 2, y: c.y - size.height / 2, ...size };
}

describe('edge label places', () => {
  it("follow React Flow's own bezier: the middle is its label point", () => {
    const edge: EdgeGeometry = { id: 'e', source: { x: 10, y: 20 }, sourceSide: 'right', target: { x: 250, y: 140 }, targetSide: 'left', label: 'x' };
    const [, labelX, labelY] = getBezierPath({ sourceX: 10, sourceY: 20, sourcePosition: Position.Right, targetX: 250, targetY: 140, targetPosition: Position.Left });
    const middle = bezierPoint(edge, 0.5);
    expect(middle.x).toBeCloseTo(labelX, 6);
    expect(middle.y).toBeCloseTo(labelY, 6);
    expect(bezierPoint(edge, 0)).toEqual({ x: 10, y: 20 });
    expect(bezierPoint(edge, 1)).toEqual({ x: 250, y: 140 });
  });

  it('spread the labels of wires that run side by side so none covers another', () => {
    // four wires 18 px apart into one hart (CLINT and PLIC to msip, mtip, meip, seip)
    const edges = [wire('a', 0, 100), wire('b', 18, 118), wire('c', 36, 136), wire('d', 54, 154)];
    const places = placeLabels(edges);
    const rects = edges.map((e) => labelRect(e, places.get(e.id)!));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
    expect(places.get('a')).toBe(0.5);
    expect(new Set(places.values()).size).toBe(4);
  });

  it('keep a label off a node when there is room, and skip edges without a label', () => {
    const node = { x: 120, y: 30, width: 60, height: 60 };
    const places = placeLabels([wire('a', 0, 100), wire('none', 0, 0, '')], [node]);
    expect(places.has('none')).toBe(false);
    expect(overlaps(labelRect(wire('a', 0, 100), places.get('a')!), node)).toBe(false);
  });
});
