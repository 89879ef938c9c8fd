// Core-local interruptor, laid out as QEMU virt's SiFive CLINT (hw/intc/riscv_aclint.c: an ACLINT
// MSWI at 0x0 and an MTIMER whose mtimecmp array sits at 0x4000 and mtime at 0xbff8). It gives every
// hart a software interrupt (msip) and a timer interrupt (mtip) that is raised when mtime reaches
// that hart's mtimecmp. mtime counts at timebase-frequency from the machine's virtual clock, so a
// guest sees the same timer behaviour as on QEMU whatever the host speed.
//
// 64-bit values are kept as unsigned 32-bit hi/lo pairs so reads of mtime (which guests poll) need
// no BigInt; only arming the clock callback after a write uses BigInt. Registers take 32-bit
// accesses (QEMU also allows 64-bit ones, which an RV32 bus never makes); narrower or misaligned
// accesses are access faults, as on QEMU.
import { BusFault, type AccessSize, type MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceCapabilities, DeviceContext, IrqLine, Region, VirtualClock } from './device.ts';

// Register offsets.
export const CLINT_MSIP = 0x0000; // msip[hart]: 32 bits at MSIP + 4 * hart, only bit 0 implemented
export const CLINT_MTIMECMP = 0x4000; // mtimecmp[hart]: 64 bits at MTIMECMP + 8 * hart (lo, then hi)
export const CLINT_MTIME = 0xbff8; // mtime: 64 bits (lo at 0xbff8, hi at 0xbffc)
export const CLINT_SIZE = 0x10000;

export const MSIP_BIT = 0x1;

/**
 * What mtimecmp holds after reset: all ones, so no timer interrupt is pending until the guest
 * programs one. (QEMU's ACLINT instead starts mtimecmp at 0 and keeps it across resets, so on QEMU
 * mtip is pending right after reset until the guest writes mtimecmp.)
 */
export const MTIMECMP_RESET_HI = 0;
export const MTIMECMP_RESET_LO = 0;

const NS_PER_SECOND = 1_000_000_000;
const TWO_POW_32 = 0x1_0000_0000;
const NO_HANDLE = -1;

/**
 * Per hart: msip, mtimecmp (hi and lo) and the mtip level last driven; and the mtime offset
 * (mtime = ticks of the virtual clock + offset, mod 2^64). mtime itself is not saved: it follows
 * from the offset and the clock, which the machine restores before the devices. Array lengths
 * follow num-harts, so state only loads into a CLINT with as many harts.
 */
export const CLINT_STATE = defineState({
  name: 'clint',
  version: 1,
  fields: [
    { name: 'msip', type: 'u8[]', mask: MSIP_BIT, doc: 'software interrupt bit of each hart' },
    { name: 'mtimecmpHi', type: 'u32[]', doc: 'mtimecmp of each hart, high 32 bits' },
    { name: 'mtimecmpLo', type: 'u32[]', doc: 'mtimecmp of each hart, low 32 bits' },
    { name: 'offsetHi', type: 'u32', doc: 'mtime - ticks, high 32 bits' },
    { name: 'offsetLo', type: 'u32', doc: 'mtime - ticks, low 32 bits' },
    { name: 'mtipLevel', type: 'u8[]', mask: 1, doc: 'level last driven on each mtip line' },
  ],
});

export class Clint implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = CLINT_STATE;
  /** A time base: harts whose time-base links here read mtime from their time CSR (as on QEMU virt). */
  readonly capabilities: DeviceCapabilities = { timeBase: { ticks: () => this.mtimeHigh() * 0x1_0000_0000 + this.mtimeLow() } };
  readonly numHarts: number;
  /** mtime ticks per second. */
  readonly timebaseFrequency: number;

  private readonly clock: VirtualClock | undefined;
  // ticks = floor(ns * tickNum / tickDen), with tickNum / tickDen = frequency / 1e9 in lowest terms.
  private readonly tickNum: number;
  private readonly tickDen: number;
  /** true when ns * tickNum / tickDen can be computed exactly with doubles (no BigInt on reads). */
  private readonly fastTicks: boolean;

  private readonly msip: Uint8Array;
  private readonly mtimecmpHi: Uint32Array;
  private readonly mtimecmpLo: Uint32Array;
  private readonly timerHandles: number[];
  /** mtime = ticks + offset (mod 2^64); writes to mtime change the offset. */
  private offsetHi = 0;
  private offsetLo = 0;

  // Scratch results of sampleTicks / sampleMtime (avoid allocating pairs on every read).
  private ticksHi = 0;
  private ticksLo = 0;
  private mtimeHi = 0;
  private mtimeLo = 0;

  private readonly msipLines: (IrqLine | undefined)[];
  private readonly mtipLines: (IrqLine | undefined)[];
  private readonly mtipLevel: Uint8Array;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.numHarts = integerProp(context, 'num-harts', 1);
    this.timebaseFrequency = integerProp(context, 'timebase-frequency', 10_000_000);
    if (this.numHarts < 1) throw new Error(`${this.path}: num-harts must be at least 1`);
    if (this.timebaseFrequency < 1) throw new Error(`${this.path}: timebase-frequency must be at least 1 Hz`);
    this.clock = context.clock;
    const divisor = gcd(this.timebaseFrequency, NS_PER_SECOND);
    this.tickNum = this.timebaseFrequency / divisor;
    this.tickDen = NS_PER_SECOND / divisor;
    this.fastTicks = this.tickNum * this.tickDen <= Number.MAX_SAFE_INTEGER;

    this.msip = new Uint8Array(this.numHarts);
    this.mtimecmpHi = new Uint32Array(this.numHarts);
    this.mtimecmpLo = new Uint32Array(this.numHarts);
    this.timerHandles = new Array<number>(this.numHarts).fill(NO_HANDLE);
    this.msipLines = new Array<IrqLine | undefined>(this.numHarts).fill(undefined);
    this.mtipLines = new Array<IrqLine | undefined>(this.numHarts).fill(undefined);
    this.mtipLevel = new Uint8Array(this.numHarts);
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
    this.reset();
  }

  connectIrqOutput(port: string, index: number, line: IrqLine): void {
    if (index < 0 || index >= this.numHarts) return;
    if (port === 'msip') {
      this.msipLines[index] = line;
      line.set(this.msip[index] !== 0);
    } else if (port === 'mtip') {
      this.mtipLines[index] = line;
      line.set(this.mtipLevel[index] !== 0);
    }
  }

  /** The current mtime as a BigInt (for the UI and the CPU's time CSR; reads through MMIO need no BigInt). */
  mtime(): bigint {
    this.sampleMtime();
    return (BigInt(this.mtimeHi) << 32n) | BigInt(this.mtimeLo);
  }

  /** Low 32 bits of mtime (the RV32 `time` CSR). */
  mtimeLow(): number {
    this.sampleMtime();
    return this.mtimeLo;
  }

  /** High 32 bits of mtime (the RV32 `timeh` CSR). */
  mtimeHigh(): number {
    this.sampleMtime();
    return this.mtimeHi;
  }

  /** mtimecmp of `hart` as a BigInt (for the UI). */
  mtimecmp(hart: number): bigint {
    return (BigInt(this.mtimecmpHi[hart]) << 32n) | BigInt(this.mtimecmpLo[hart]);
  }

  /** Its reads have no side effects: the register view reads as the guest does. */
  peek(_region: string, offset: number, size: AccessSize): number {
    return this.read(offset, size);
  }

  read(offset: number, size: AccessSize): number {
    if (size !== 4 || (offset & 3) !== 0) throw new BusFault(offset, 'read', size);
    const timecmpEnd = CLINT_MTIMECMP + 8 * this.numHarts;
    if (offset >= CLINT_MTIMECMP && offset < timecmpEnd) {
      const hart = (offset - CLINT_MTIMECMP) >>> 3;
      return (offset & 4) === 0 ? this.mtimecmpLo[hart] : this.mtimecmpHi[hart];
    }
    if (offset === CLINT_MTIME) return this.mtimeLow();
    if (offset === CLINT_MTIME + 4) return this.mtimeHigh();
    if (offset < CLINT_MSIP + 4 * this.numHarts) return this.msip[offset >>> 2];
    return 0;
  }

  write(offset: number, value: number, size: AccessSize): void {
    if (size !== 4 || (offset & 3) !== 0) throw new BusFault(offset, 'write', size);
    value >>>= 0;
    const timecmpEnd = CLINT_MTIMECMP + 8 * this.numHarts;
    if (offset >= CLINT_MTIMECMP && offset < timecmpEnd) {
      const hart = (offset - CLINT_MTIMECMP) >>> 3;
      if ((offset & 4) === 0) this.mtimecmpLo[hart] = value;
      else this.mtimecmpHi[hart] = value;
      this.sampleMtime();
      this.evaluate(hart);
      return;
    }
    if (offset === CLINT_MTIME || offset === CLINT_MTIME + 4) {
      this.sampleMtime();
      if (offset === CLINT_MTIME) this.setMtime(this.mtimeHi, value);
      else this.setMtime(value, this.mtimeLo);
      return;
    }
    if (offset < CLINT_MSIP + 4 * this.numHarts) {
      const hart = offset >>> 2;
      const bit = value & MSIP_BIT;
      if (this.msip[hart] !== bit) {
        this.msip[hart] = bit;
        this.msipLines[hart]?.set(bit !== 0);
      }
    }
  }

  /** As QEMU 7.2 virt after power-on: msip cleared, mtime 0, mtimecmp 0 — so mtip is pending until the guest writes mtimecmp. */
  reset(): void {
    for (let hart = 0; hart < this.numHarts; hart++) {
      this.cancelTimer(hart);
      this.mtimecmpHi[hart] = MTIMECMP_RESET_HI;
      this.mtimecmpLo[hart] = MTIMECMP_RESET_LO;
      if (this.msip[hart] !== 0) {
        this.msip[hart] = 0;
        this.msipLines[hart]?.set(false);
      }
    }
    this.setMtime(0, 0);
  }

  /**
   * After loadState (the machine has restored the clock's time and cleared its timer queue): drop
   * the timers this instance had armed, drive msip and mtip at their loaded levels, and arm each
   * low mtip's timer for the virtual time at which mtime reaches mtimecmp — the deadline the saved
   * instance had armed, so the interrupt comes at the same virtual time (even when that time had
   * already passed mid-quantum and the timer was still due). A high mtip stays high unless mtime is
   * below mtimecmp, which state saved by a Clint never has.
   */
  postLoad(): void {
    this.sampleMtime();
    for (let hart = 0; hart < this.numHarts; hart++) {
      this.cancelTimer(hart);
      this.msipLines[hart]?.set(this.msip[hart] !== 0);
      this.mtipLines[hart]?.set(this.mtipLevel[hart] !== 0);
      if (this.mtipLevel[hart] !== 0) this.evaluate(hart);
      else this.arm(hart);
    }
  }

  /** Make mtime read (hi, lo) now (mtime = ticks + offset), then re-evaluate every hart's timer. */
  private setMtime(hi: number, lo: number): void {
    this.sampleTicks();
    const offsetLo = lo - this.ticksLo;
    const borrow = offsetLo < 0 ? 1 : 0;
    this.offsetLo = offsetLo + borrow * TWO_POW_32;
    this.offsetHi = (hi - this.ticksHi - borrow) >>> 0;
    this.sampleMtime();
    for (let hart = 0; hart < this.numHarts; hart++) this.evaluate(hart);
  }

  /** Set mtip of `hart` from the sampled mtime, and arm a clock callback for when mtime reaches mtimecmp. */
  private evaluate(hart: number): void {
    this.cancelTimer(hart);
    const cmpHi = this.mtimecmpHi[hart];
    const cmpLo = this.mtimecmpLo[hart];
    const reached = this.mtimeHi > cmpHi || (this.mtimeHi === cmpHi && this.mtimeLo >= cmpLo);
    this.setMtip(hart, reached);
    if (!reached) this.arm(hart);
  }

  /** Schedule the callback at the first nanosecond when mtime >= mtimecmp (needs the sampled mtime and ticks). */
  private arm(hart: number): void {
    const clock = this.clock;
    if (clock === undefined) return;
    const cmp = (BigInt(this.mtimecmpHi[hart]) << 32n) | BigInt(this.mtimecmpLo[hart]);
    const now = (BigInt(this.mtimeHi) << 32n) | BigInt(this.mtimeLo);
    const targetTicks = ((BigInt(this.ticksHi) << 32n) | BigInt(this.ticksLo)) + (cmp - now);
    // Smallest t with floor(t * num / den) >= targetTicks.
    const num = BigInt(this.tickNum);
    const at = (targetTicks * BigInt(this.tickDen) + num - 1n) / num;
    if (at > BigInt(Number.MAX_SAFE_INTEGER)) return; // beyond any reachable virtual time
    this.timerHandles[hart] = clock.schedule(Number(at), () => {
      this.timerHandles[hart] = NO_HANDLE;
      this.sampleMtime();
      this.evaluate(hart);
    });
  }

  private cancelTimer(hart: number): void {
    const handle = this.timerHandles[hart];
    if (handle !== NO_HANDLE) {
      this.timerHandles[hart] = NO_HANDLE;
      this.clock?.cancel(handle);
    }
  }

  private setMtip(hart: number, level: boolean): void {
    const bit = level ? 1 : 0;
    if (this.mtipLevel[hart] === bit) return;
    this.mtipLevel[hart] = bit;
    this.mtipLines[hart]?.set(level);
  }

  /** ticksHi:ticksLo = floor(now_ns * frequency / 1e9), exactly. */
  private sampleTicks(): void {
    const clock = this.clock;
    if (clock === undefined) {
      this.ticksHi = 0;
      this.ticksLo = 0;
      return;
    }
    const ns = Math.max(0, Math.floor(clock.now()));
    if (this.fastTicks) {
      const whole = floorDiv(ns, this.tickDen);
      const high = whole * this.tickNum;
      if (high <= Number.MAX_SAFE_INTEGER - this.tickNum) {
        const ticks = high + floorDiv((ns - whole * this.tickDen) * this.tickNum, this.tickDen);
        const hi = Math.floor(ticks / TWO_POW_32);
        this.ticksHi = hi;
        this.ticksLo = ticks - hi * TWO_POW_32;
        return;
      }
    }
    const ticks = (BigInt(ns) * BigInt(this.tickNum)) / BigInt(this.tickDen);
    this.ticksHi = Number((ticks >> 32n) & 0xffffffffn);
    this.ticksLo = Number(ticks & 0xffffffffn);
  }

  /** mtimeHi:mtimeLo = ticks + offset (mod 2^64), sampled now. */
  private sampleMtime(): void {
    this.sampleTicks();
    const lo = this.ticksLo + this.offsetLo;
    const carry = lo >= TWO_POW_32 ? 1 : 0;
    this.mtimeLo = lo - carry * TWO_POW_32;
    this.mtimeHi = (this.ticksHi + this.offsetHi + carry) >>> 0;
  }
}

function integerProp(context: DeviceContext, name: string, fallback: number): number {
  const value = context.props[name];
  const n = value === undefined || value === null ? fallback : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`${context.path}: property ${name} must be an integer (got ${String(value)})`);
  return n;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** floor(a / b) for non-negative safe integers, exact (corrects the rounding of the double division). */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  else if (q * b + b <= a) q += 1;
  return q;
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { clint: (context: DeviceContext) => new Clint(context) };
