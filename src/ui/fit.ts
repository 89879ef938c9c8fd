// Where the designer's views put their board when they fit it into sight by themselves (first
// show, another board, a resize that cuts it off): the whole board when it fits at a readable
// zoom; otherwise the readable zoom, showing the board's top-left part (where layouts start: the
// bus, the IRQ sources) for the user to pan from. A fit never shrinks nodes until their text cannot
// be read; the view's own "fit view" button, asked for explicitly, may.

/** Node text is 12–13 px: below this zoom it is too small to read. */
export const READABLE_ZOOM = 0.7;
/** Room left around a board that fits, in screen pixels. */
const MARGIN = 24;

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** The viewport that shows `bounds` (flow coordinates) in a view of `width` × `height` pixels. */
export function readableViewport(bounds: Bounds, width: number, height: number, maxZoom = 1): Viewport {
  const fitZoom = Math.min((width - 2 * MARGIN) / Math.max(1, bounds.width), (height - 2 * MARGIN) / Math.max(1, bounds.height));
  const zoom = Math.min(maxZoom, Math.max(READABLE_ZOOM, fitZoom));
  // Each axis: centred when the board fits along it, else from its start.
  const place = (start: number, length: number, room: number) => (length * zoom <= room - 2 * MARGIN ? (room - length * zoom) / 2 - start * zoom : MARGIN - start * zoom);
  return { x: place(bounds.x, bounds.width, width), y: place(bounds.y, bounds.height, height), zoom };
}
