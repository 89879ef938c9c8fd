// Port and object references in board documents: "soc/uart0.regs", "plic.in[10]", "gpio.out[0..3]".

export const ROOT_PATH = '/machine';

export interface PortReference {
  /** Absolute object path. */
  object: string;
  port: string;
  /** First line index (undefined when the reference has no index). */
  first: number | undefined;
  /** Number of lines: 1, or the length of a range. */
  count: number;
}

/** "soc/uart0" relative to `base` (an absolute path), or an absolute "/machine/soc/uart0". */
export function absolutePath(reference: string, base = ROOT_PATH): string {
  if (reference === ROOT_PATH || reference.startsWith(`${ROOT_PATH}/`)) return reference;
  return `${base}/${reference.replace(/^\/+/, '')}`;
}

export function relativePath(path: string): string {
  return path.startsWith(`${ROOT_PATH}/`) ? path.slice(ROOT_PATH.length + 1) : path;
}

// A port name may have one dot, for a device with sides or groups of ports (a mailbox's "a.regs");
// object names never have one, so "mbox.a.regs" is object mbox, port a.regs.
const PORT_REFERENCE = /^(.+?)\.([a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)?)(?:\[(\d+)(?:\.\.(\d+))?\])?$/;

/** Parse "<object>.<port>[a..b]"; undefined when malformed or the range is backwards. */
export function parsePortReference(reference: string, base = ROOT_PATH): PortReference | undefined {
  const m = PORT_REFERENCE.exec(reference.trim());
  if (!m) return undefined;
  const first = m[3] === undefined ? undefined : Number(m[3]);
  const last = m[4] === undefined ? first : Number(m[4]);
  if (first !== undefined && last !== undefined && last < first) return undefined;
  return { object: absolutePath(m[1], base), port: m[2], first, count: first === undefined ? 1 : last! - first + 1 };
}
