// What the CMSDK APB peripherals (UART, timer, dual timer) share: the PrimeCell-style
// identification registers at 0xFD0–0xFFC, and reading their clock property.
import type { DeviceContext } from './device.ts';

/** First identification register (PID4); PID4–PID7, PID0–PID3, CID0–CID3 follow a word apart. */
export const CMSDK_ID_FIRST = 0xfd0;
export const CMSDK_ID_LAST = 0xffc;

/** The value of an identification register at `offset` from the twelve `ids`, or 0 for any other offset (as QEMU reads unknown offsets). */
export function cmsdkIdRegister(ids: readonly number[], offset: number): number {
  if (offset < CMSDK_ID_FIRST || offset > CMSDK_ID_LAST || (offset & 3) !== 0) return 0;
  return ids[(offset - CMSDK_ID_FIRST) >>> 2];
}

/** A positive frequency property in Hz (the catalog's default when unset). */
export function frequencyProp(context: DeviceContext, name: string, fallback: number): number {
  const value = context.props[name];
  const hz = value === undefined || value === null ? fallback : Number(value);
  if (!Number.isFinite(hz) || hz <= 0) throw new Error(`${context.path}: ${name} must be a positive frequency in Hz (got ${String(value)})`);
  return hz;
}
