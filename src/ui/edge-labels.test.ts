import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { bezierPoint, labelPoint, labelSize, placeLabels, SOURCE_END_PLACES, TARGET_END_PLACES, type EdgeGeometry, type LabelPlace, type LabelRequest } from './edge-labels';
import { overlaps } from './placement';

const wire = (y1: number, y2: number, x2 = 300): EdgeGeometry => ({ id: 'e', source: { x: 0, y: y1 }, sourceSide: 'right', target: { x: x2, y: y2 }, targetSide: 'left', label: '' });

function rectOf(request: LabelRequest, place: LabelPlace) {
  const c = labelPoint(request.edge, place);
  const size = labelSize(request.text);
  return { x: c.x - size.width / 2, y: c.y - size.height / 2, ...size };
}

function noneOverlap(requests: LabelRequest[], places: Map<string, LabelPlace>) {
  const rects = requests.map((r) => rectOf(r, places.get(r.id)!));
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
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

  it('sit beside their own end, on the wire first', () => {
    expect(SOURCE_END_PLACES[0]).toEqual({ t: 0.12, dy: 0 });
    expect(TARGET_END_PLACES[0]).toEqual({ t: 0.88, dy: 0 });
    expect(SOURCE_END_PLACES.every((p) => p.t < 0.6)).toBe(true);
  });

  it('spread the line numbers of wires that meet at one port (three UARTs into plic.in) so none covers another', () => {
    const requests: LabelRequest[] = [
      { id: 'a', edge: wire(0, 200, 90), text: '10', places: TARGET_END_PLACES },
      { id: 'b', edge: wire(180, 200, 90), text: '11', places: TARGET_END_PLACES },
      { id: 'c', edge: wire(360, 200, 90), text: '12', places: TARGET_END_PLACES },
    ];
    const places = placeLabels(requests);
    noneOverlap(requests, places);
    expect(places.get('a')).toBe(TARGET_END_PLACES[0]);
  });

  it('spread wires that run side by side, 18 px apart', () => {
    const requests: LabelRequest[] = [0, 18, 36, 54].map((y, i) => ({ id: `w${i}`, edge: wire(y + 100, y, 90), text: '0', places: SOURCE_END_PLACES }));
    const places = placeLabels(requests);
    noneOverlap(requests, places);
  });

  it('keep a label off a node when there is room, and skip empty labels', () => {
    const request: LabelRequest = { id: 'a', edge: wire(0, 100), text: '10', places: TARGET_END_PLACES };
    const node = { x: 230, y: 60, width: 60, height: 60 };
    const places = placeLabels([request, { ...request, id: 'none', text: '' }], [node]);
    expect(places.has('none')).toBe(false);
    expect(overlaps(rectOf(request, places.get('a')!), node)).toBe(false);
  });
});
