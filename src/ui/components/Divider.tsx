// A divider between two panes: drag it to share the room differently, or focus it (Tab) and use
// the arrow keys (Shift: bigger steps; Home / End: the limits); a double click puts it back. It
// is a WAI-ARIA window splitter (role="separator" with its value), so screen readers announce it.
// The page keeps the shares (usePaneLayout), saved across reloads (../layout.ts).
import { useCallback, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { DEFAULT_LAYOUT, loadLayout, saveLayout, SPLIT_LIMITS, splitAfterKey, splitAtPointer, type PaneLayout, type PaneSplit } from '../layout.ts';
import './layout.css';

/** Where the two panes a divider shares out lie, along its axis (in client pixels). */
export type DividerSpan = () => { start: number; size: number } | undefined;

export interface DividerProps {
  split: PaneSplit;
  value: number;
  onChange: (value: number) => void;
  /** 'vertical': between side-by-side panes (dragged left/right); 'horizontal': between stacked ones. */
  orientation: 'vertical' | 'horizontal';
  span: DividerSpan;
  /** What it resizes, for screen readers and the tooltip: "the graph and the run pane". */
  label: string;
  className?: string;
  testId: string;
}

export function Divider({ split, value, onChange, orientation, span, label, className, testId }: DividerProps) {
  const [dragging, setDragging] = useState(false);
  const [min, max] = SPLIT_LIMITS[split];

  const follow = (event: PointerEvent<HTMLDivElement>) => {
    const box = span();
    if (box === undefined) return;
    onChange(splitAtPointer(split, orientation === 'vertical' ? event.clientX : event.clientY, box.start, box.size));
  };

  const keyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = splitAfterKey(split, value, event.key, event.shiftKey, orientation);
    if (next === undefined) return;
    event.preventDefault();
    onChange(next);
  };

  return (
    <div
      role="separator"
      aria-orientation={orientation}
      aria-valuenow={Math.round(value * 100)}
      aria-valuemin={Math.round(min * 100)}
      aria-valuemax={Math.round(max * 100)}
      aria-label={`Resize ${label}`}
      title={`Drag to resize ${label} (or focus and use the arrow keys); double-click resets`}
      tabIndex={0}
      className={`divider divider--${orientation} ${dragging ? 'divider--dragging' : ''} ${className ?? ''}`}
      data-testid={testId}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        event.currentTarget.setPointerCapture(event.pointerId);
        event.currentTarget.focus();
        setDragging(true);
      }}
      onPointerMove={(event) => {
        if (dragging) follow(event);
      }}
      onPointerUp={(event) => {
        if (!dragging) return;
        follow(event);
        setDragging(false);
        event.currentTarget.releasePointerCapture(event.pointerId);
      }}
      onPointerCancel={() => setDragging(false)}
      onDoubleClick={() => onChange(DEFAULT_LAYOUT[split])}
      onKeyDown={keyDown}
    />
  );
}

/** The page's pane shares, loaded from and saved to localStorage. */
export function usePaneLayout(): [PaneLayout, (split: PaneSplit, value: number) => void] {
  const [layout, setLayout] = useState<PaneLayout>(() => loadLayout(typeof localStorage === 'undefined' ? undefined : localStorage));
  const change = useCallback((split: PaneSplit, value: number) => {
    setLayout((current) => {
      if (current[split] === value) return current;
      const next = { ...current, [split]: value };
      saveLayout(typeof localStorage === 'undefined' ? undefined : localStorage, next);
      return next;
    });
  }, []);
  return [layout, change];
}

/** The span of elements `first` to `last` (matched in `root`) along an axis: what a divider between them shares out. */
export function spanOf(root: ParentNode | null | undefined, first: string, last: string, orientation: 'vertical' | 'horizontal'): { start: number; size: number } | undefined {
  const a = root?.querySelector(first)?.getBoundingClientRect();
  const b = root?.querySelector(last)?.getBoundingClientRect();
  if (!a || !b) return undefined;
  return orientation === 'vertical' ? { start: a.left, size: b.right - a.left } : { start: a.top, size: b.bottom - a.top };
}
