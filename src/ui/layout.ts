// How the page's panes share the window, as fractions the user changes by dragging the dividers
// between them (or with the arrow keys on a focused divider), kept in localStorage so a reload
// keeps them. Pure functions, tested in layout.test.ts; ./components/Divider.tsx does the dragging.

export interface PaneLayout {
  /** The graph column's share of the workspace width (the run pane and the editor get the rest). */
  graph: number;
  /** The run pane's share of the right column's height, above the board document. */
  run: number;
  /** The same while the debugger or the QMP monitor is open (they want more room). */
  runDebugging: number;
  /** In the run pane, the debugger's and QMP monitor's share of the height, above the terminal. */
  tools: number;
}

export type PaneSplit = keyof PaneLayout;

export const DEFAULT_LAYOUT: Readonly<PaneLayout> = { graph: 0.62, run: 0.5, runDebugging: 0.75, tools: 0.72 };

/** The smallest and largest share of each split: no pane can be dragged out of sight. */
export const SPLIT_LIMITS: Readonly<Record<PaneSplit, readonly [number, number]>> = {
  graph: [0.2, 0.8],
  run: [0.12, 0.88],
  runDebugging: [0.12, 0.88],
  tools: [0.15, 0.9],
};

/** What a keypress on a focused divider moves it by (Shift: a bigger step). */
export const KEY_STEP = 0.02;
export const KEY_STEP_LARGE = 0.1;

export const LAYOUT_STORAGE_KEY = 'boardlab.layout.v1';

export function clampSplit(split: PaneSplit, value: number): number {
  const [min, max] = SPLIT_LIMITS[split];
  if (!Number.isFinite(value)) return DEFAULT_LAYOUT[split];
  return Math.min(max, Math.max(min, value));
}

/** A layout from stored text: what is missing, not a number or out of range falls back to the defaults or the limits. */
export function parseLayout(text: string | null): PaneLayout {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = text === null ? {} : JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
  } catch {
    // a corrupt entry: the defaults
  }
  const layout = { ...DEFAULT_LAYOUT };
  for (const split of Object.keys(DEFAULT_LAYOUT) as PaneSplit[]) {
    const value = stored[split];
    if (typeof value === 'number') layout[split] = clampSplit(split, value);
  }
  return layout;
}

export function loadLayout(storage: Pick<Storage, 'getItem'> | undefined): PaneLayout {
  try {
    return parseLayout(storage?.getItem(LAYOUT_STORAGE_KEY) ?? null);
  } catch {
    return { ...DEFAULT_LAYOUT }; // storage blocked (privacy settings)
  }
}

export function saveLayout(storage: Pick<Storage, 'setItem'> | undefined, layout: PaneLayout): void {
  try {
    storage?.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(layout));
  } catch {
    // full or blocked: the layout lasts until the page reloads
  }
}

/**
 * The split a key on a focused divider asks for, or undefined for a key it does not handle. A
 * divider between side-by-side panes takes Left/Right, one between stacked panes Up/Down; Home
 * and End go to the limits.
 */
export function splitAfterKey(split: PaneSplit, value: number, key: string, shift: boolean, orientation: 'vertical' | 'horizontal'): number | undefined {
  const step = shift ? KEY_STEP_LARGE : KEY_STEP;
  const [min, max] = SPLIT_LIMITS[split];
  const back = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
  const forward = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
  if (key === back) return clampSplit(split, value - step);
  if (key === forward) return clampSplit(split, value + step);
  if (key === 'Home') return min;
  if (key === 'End') return max;
  return undefined;
}

/** The share of [start, start + size) before `pointer` (a pointer dragging a divider), within the split's limits. */
export function splitAtPointer(split: PaneSplit, pointer: number, start: number, size: number): number {
  return clampSplit(split, size > 0 ? (pointer - start) / size : DEFAULT_LAYOUT[split]);
}
