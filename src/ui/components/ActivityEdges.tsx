// Edges that show live activity (../activity.ts): an IRQ wire drawn lit while its line is high, a
// memory mapping that pulses while the CPU touches its region. Each edge subscribes to its own
// flag only, so a flag that flips re-renders one edge, not the graph. They draw like React Flow's
// default (bezier) edge; BoardGraphView's stepped mapping edge uses ActivityGroup directly. In the
// IRQ view a wire carries the line numbers of its multi-line ends, drawn beside those ends.
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo, type ReactNode } from 'react';
import { useIrqWiresLit, useMappingBusy } from '../activity.ts';
import { labelPoint, SOURCE_END_PLACES, TARGET_END_PLACES, type EdgeGeometry, type LabelPlace, type Side } from '../edge-labels.ts';
import './activity.css';

export type ActivityKind = 'irq' | 'mapping';

interface ActivityGroupProps {
  id: string;
  kind: ActivityKind;
  active: boolean;
  /** The edge's end nodes, as attributes (tests find an edge by what it connects). */
  source: string;
  target: string;
  children: ReactNode;
}

/** Wraps an edge's drawing; `data-active` says whether it shows activity now (tests read it). */
export function ActivityGroup({ id, kind, active, source, target, children }: ActivityGroupProps) {
  return (
    <g
      className={`edge-activity edge-activity--${kind}`}
      data-active={active ? 'true' : 'false'}
      data-testid={`activity-${id}`}
      data-source={source}
      data-target={target}
    >
      {children}
    </g>
  );
}

/** The line numbers of an IRQ wire's ends, each drawn beside its end at a fraction of the curve (../edge-labels.ts). */
export interface WireLines {
  source?: string;
  target?: string;
  sourceAt?: LabelPlace;
  targetAt?: LabelPlace;
}

function LineChips({ props, lines }: { props: EdgeProps; lines: WireLines }) {
  const geometry = labelGeometry(props);
  const chip = (end: 'source' | 'target', text: string | undefined, at: LabelPlace | undefined) => {
    if (text === undefined) return null;
    const place = labelPoint(geometry, at ?? (end === 'source' ? SOURCE_END_PLACES[0] : TARGET_END_PLACES[0]));
    return (
      <div className={`irq-line irq-line--${end}`} data-testid={`line-${props.id}-${end}`} style={{ transform: `translate(-50%, -50%) translate(${place.x}px, ${place.y}px)` }}>
        {text}
      </div>
    );
  };
  return (
    <EdgeLabelRenderer>
      {chip('source', lines.source, lines.sourceAt)}
      {chip('target', lines.target, lines.targetAt)}
    </EdgeLabelRenderer>
  );
}

function BezierDrawing(props: EdgeProps) {
  const [path, middleX, middleY] = getBezierPath(props);
  // A label given a place along the wire (../edge-labels.ts: where it covers no other) goes there,
  // drawn above every wire (a lit wire must not hide another's label).
  const labelAt = (props.data as { labelAt?: LabelPlace } | undefined)?.labelAt;
  if (labelAt && props.label) {
    const place = labelPoint(labelGeometry(props), labelAt);
    return (
      <>
        <BaseEdge id={props.id} path={path} style={props.style} markerStart={props.markerStart} markerEnd={props.markerEnd} interactionWidth={props.interactionWidth} />
        <EdgeLabelRenderer>
          <div className="wire-label" data-testid={`label-${props.id}`} style={{ transform: `translate(-50%, -50%) translate(${place.x}px, ${place.y}px)` }}>
            {props.label}
          </div>
        </EdgeLabelRenderer>
      </>
    );
  }
  return (
    <BaseEdge
      id={props.id}
      path={path}
      labelX={middleX}
      labelY={middleY}
      label={props.label}
      labelStyle={props.labelStyle}
      labelShowBg={props.labelShowBg}
      labelBgStyle={props.labelBgStyle}
      labelBgPadding={props.labelBgPadding}
      labelBgBorderRadius={props.labelBgBorderRadius}
      style={props.style}
      markerStart={props.markerStart}
      markerEnd={props.markerEnd}
      interactionWidth={props.interactionWidth}
    />
  );
}

const sideOf = (position: EdgeProps['sourcePosition']): Side => (position === 'left' || position === 'top' || position === 'bottom' ? position : 'right');

function labelGeometry(props: EdgeProps): Pick<EdgeGeometry, 'source' | 'sourceSide' | 'target' | 'targetSide'> {
  return { source: { x: props.sourceX, y: props.sourceY }, sourceSide: sideOf(props.sourcePosition), target: { x: props.targetX, y: props.targetY }, targetSide: sideOf(props.targetPosition) };
}

export type IrqEdgeData = { irqWires: number[] } & Record<string, unknown>;
export type MappingEdgeData = { mapping: number } & Record<string, unknown>;

/** IRQ wire(s) (indices into board.irqs), lit while any of them is high. */
export const IrqActivityEdge = memo(function IrqActivityEdge(props: EdgeProps<Edge<IrqEdgeData & { lines?: WireLines; title?: string }>>) {
  const lit = useIrqWiresLit(props.data?.irqWires);
  return (
    <>
      <ActivityGroup id={props.id} kind="irq" active={lit} source={props.source} target={props.target}>
        {props.data?.title && <title>{props.data.title}</title>}
        <BezierDrawing {...props} />
      </ActivityGroup>
      {props.data?.lines && <LineChips props={props} lines={props.data.lines} />}
    </>
  );
});

/** A mapping (index into board.memory) that pulses while its region is touched. */
export const MappingActivityEdge = memo(function MappingActivityEdge(props: EdgeProps<Edge<MappingEdgeData>>) {
  const busy = useMappingBusy(props.data?.mapping);
  return (
    <ActivityGroup id={props.id} kind="mapping" active={busy} source={props.source} target={props.target}>
      <BezierDrawing {...props} />
    </ActivityGroup>
  );
});
