import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, LAYOUT_STORAGE_KEY, loadLayout, parseLayout, saveLayout, splitAfterKey, splitAtPointer, SPLIT_LIMITS } from './layout.ts';

/** A Storage as the browser's, in memory. */
function memoryStorage(): Storage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describe('the pane layout', () => {
  it('is kept across reloads: what is saved loads back', () => {
    const storage = memoryStorage();
    expect(loadLayout(storage)).toEqual(DEFAULT_LAYOUT);
    const dragged = { ...DEFAULT_LAYOUT, graph: 0.45, tools: 0.3 };
    saveLayout(storage, dragged);
    expect(JSON.parse(storage.items.get(LAYOUT_STORAGE_KEY)!)).toEqual(dragged);
    expect(loadLayout(storage)).toEqual(dragged);
  });

  it('falls back to the defaults for what is missing or corrupt, and to the limits for what is out of range', () => {
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('not json')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('[1, 2]')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('{"graph": "wide", "run": 0.3}')).toEqual({ ...DEFAULT_LAYOUT, run: 0.3 });
    expect(parseLayout('{"graph": 0.99, "tools": -1}')).toEqual({ ...DEFAULT_LAYOUT, graph: SPLIT_LIMITS.graph[1], tools: SPLIT_LIMITS.tools[0] });
  });

  it('survives storage that throws (blocked by privacy settings)', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(loadLayout(blocked)).toEqual(DEFAULT_LAYOUT);
    expect(() => saveLayout(blocked, DEFAULT_LAYOUT)).not.toThrow();
    expect(loadLayout(undefined)).toEqual(DEFAULT_LAYOUT);
  });

  it('moves a divider with the arrow keys of its orientation, Shift for bigger steps, Home and End to the limits', () => {
    expect(splitAfterKey('graph', 0.6, 'ArrowLeft', false, 'vertical')).toBeCloseTo(0.58);
    expect(splitAfterKey('graph', 0.6, 'ArrowRight', true, 'vertical')).toBeCloseTo(0.7);
    expect(splitAfterKey('graph', 0.6, 'ArrowUp', false, 'vertical')).toBeUndefined();
    expect(splitAfterKey('tools', 0.5, 'ArrowDown', false, 'horizontal')).toBeCloseTo(0.52);
    expect(splitAfterKey('tools', 0.5, 'ArrowUp', false, 'horizontal')).toBeCloseTo(0.48);
    expect(splitAfterKey('tools', 0.5, 'Home', false, 'horizontal')).toBe(SPLIT_LIMITS.tools[0]);
    expect(splitAfterKey('tools', 0.5, 'End', false, 'horizontal')).toBe(SPLIT_LIMITS.tools[1]);
    expect(splitAfterKey('graph', 0.79, 'ArrowRight', true, 'vertical')).toBe(SPLIT_LIMITS.graph[1]);
    expect(splitAfterKey('graph', 0.6, 'Enter', false, 'vertical')).toBeUndefined();
  });

  it('turns a dragging pointer into a share, within the limits', () => {
    expect(splitAtPointer('graph', 500, 100, 1000)).toBeCloseTo(0.4);
    expect(splitAtPointer('graph', 0, 100, 1000)).toBe(SPLIT_LIMITS.graph[0]);
    expect(splitAtPointer('run', 10_000, 0, 800)).toBe(SPLIT_LIMITS.run[1]);
    expect(splitAtPointer('run', 10, 0, 0)).toBe(DEFAULT_LAYOUT.run);
  });
});
