// The Serial Communication Controller of the MPS2 FPGA images (the MPS2 TRM; AN385), as QEMU 7.2
// models it for mps2-an385 (hw/misc/mps2-scc.c; at 0x4002F000): CFG0 (remap, read as written),
// CFG1 (the SCC LEDs, read as written), CFG3 (DIP switches, read 0), CFG4 (read-only board
// revision), the SYS_CFG channel to the motherboard configuration controller (CFGDATA_OUT,
// CFGCTRL with START/WRITE/FUNCTION/DEVICE, CFGDATA_RTN, CFGSTAT DONE/ERROR) that reads and sets
// the oscillator clocks (function 1, devices 0–2), DLL (always locked), AID and ID.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceContext, Region } from './device.ts';

// Register offsets.
export const SCC_CFG0 = 0x00;
export const SCC_CFG1 = 0x04;
export const SCC_CFG3 = 0x0c;
export const SCC_CFG4 = 0x10;
export const SCC_CFGDATA_RTN = 0xa0;
export const SCC_CFGDATA_OUT = 0xa4;
export const SCC_CFGCTRL = 0xa8;
export const SCC_CFGSTAT = 0xac;
export const SCC_DLL = 0x100;
export const SCC_AID = 0xff8;
export const SCC_ID = 0xffc;

// CFGCTRL fields.
export const CFGCTRL_DEVICE_MASK = 0xfff;
export const CFGCTRL_FUNCTION_SHIFT = 20;
const CFGCTRL_FUNCTION_MASK = 0x3f;
export const CFGCTRL_WRITE = 0x4000_0000;
export const CFGCTRL_START = 0x8000_0000;
/** START and the reserved fields (bits 12–19 and 26–29) never read back. */
const CFGCTRL_KEPT = ~(0x000f_f000 | 0x3c00_0000 | CFGCTRL_START);
/** CFGCTRL after reset: function 1 (oscillator clocks). */
const CFGCTRL_RESET = 0x0010_0000;

// CFGSTAT bits.
export const CFGSTAT_DONE = 0x1;
export const CFGSTAT_ERROR = 0x2;

/** The SYS_CFG function that reads and sets the oscillator clocks. */
export const SYS_CFG_OSCCLK = 1;
/** DLL after reset: every DLL locked (bits 16–23), all unmasked DLLs locked (bit 0). */
const DLL_RESET = 0xffff_0001;

/** The oscillator clocks of the MPS2 FPGA images at reset, in Hz (QEMU's mps2 boards). */
export const MPS2_OSCCLK = [50_000_000, 24_576_000, 25_000_000] as const;

export const MPS2_SCC_STATE = defineState({
  name: 'mps2-scc',
  version: 1,
  fields: [
    { name: 'cfg0', type: 'u32', doc: 'CFG0 (bit 0: remap)' },
    { name: 'cfg1', type: 'u32', doc: 'CFG1 (the SCC LEDs)' },
    { name: 'cfgdataRtn', type: 'u32', doc: 'CFGDATA_RTN: the last SYS_CFG read' },
    { name: 'cfgdataOut', type: 'u32', doc: 'CFGDATA_OUT: the value a SYS_CFG write sends' },
    { name: 'cfgctrl', type: 'u32', doc: 'CFGCTRL without START' },
    { name: 'cfgstat', type: 'u8', mask: 3, doc: 'CFGSTAT: DONE, ERROR' },
    { name: 'dll', type: 'u32', doc: 'DLL (bits 31–24 writable)' },
    { name: 'oscclk', type: 'u32[]', doc: 'the oscillator clocks, Hz' },
  ],
});

export class Mps2Scc implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = MPS2_SCC_STATE;
  /** The ID register (AN385: 0x41043850, part number 0x385). */
  readonly id: number;
  readonly aid: number;
  readonly cfg4: number;
  readonly oscclk = new Uint32Array(MPS2_OSCCLK.length);
  private cfg0 = 0;
  private cfg1 = 0;
  private cfgdataRtn = 0;
  private cfgdataOut = 0;
  private cfgctrl = CFGCTRL_RESET;
  private cfgstat = 0;
  private dll = DLL_RESET;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.id = uint32Prop(context, 'scc-id', 0x4104_3850);
    this.aid = uint32Prop(context, 'scc-aid', 0x0020_0008);
    this.cfg4 = uint32Prop(context, 'scc-cfg4', 0x2);
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
    this.reset();
  }

  /** Its reads have no side effects: the register view reads as the guest does. */
  peek(_region: string, offset: number, size: AccessSize): number {
    return this.read(offset, size);
  }

  read(offset: number, _size: AccessSize): number {
    switch (offset) {
      case SCC_CFG0:
        return this.cfg0;
      case SCC_CFG1:
        return this.cfg1;
      case SCC_CFG3:
        return 0; // DIP switches: none set
      case SCC_CFG4:
        return this.cfg4;
      case SCC_CFGDATA_RTN:
        return this.cfgdataRtn;
      case SCC_CFGDATA_OUT:
        return this.cfgdataOut;
      case SCC_CFGCTRL:
        return this.cfgctrl;
      case SCC_CFGSTAT:
        return this.cfgstat;
      case SCC_DLL:
        return this.dll;
      case SCC_AID:
        return this.aid;
      case SCC_ID:
        return this.id;
      default:
        return 0;
    }
  }

  write(offset: number, value: number, _size: AccessSize): void {
    value >>>= 0;
    switch (offset) {
      case SCC_CFG0:
        this.cfg0 = value;
        return;
      case SCC_CFG1:
        this.cfg1 = value;
        return;
      case SCC_CFGDATA_OUT:
        this.cfgdataOut = value;
        return;
      case SCC_CFGCTRL:
        this.cfgstat = 0;
        this.cfgctrl = (value & CFGCTRL_KEPT) >>> 0;
        if (value & CFGCTRL_START) this.sysCfg();
        return;
      case SCC_DLL:
        this.dll = ((this.dll & 0x00ff_ffff) | (value & 0xff00_0000)) >>> 0;
        return;
      default:
        return; // read-only or nothing there
    }
  }

  reset(): void {
    this.cfg0 = 0;
    this.cfg1 = 0;
    this.cfgdataRtn = 0;
    this.cfgdataOut = 0;
    this.cfgctrl = CFGCTRL_RESET;
    this.cfgstat = 0;
    this.dll = DLL_RESET;
    this.oscclk.set(MPS2_OSCCLK);
  }

  /** A SYS_CFG transaction, done at once: function 1 reads or writes oscillator clock `device`; anything else is an error. */
  private sysCfg(): void {
    const device = this.cfgctrl & CFGCTRL_DEVICE_MASK;
    const fn = (this.cfgctrl >>> CFGCTRL_FUNCTION_SHIFT) & CFGCTRL_FUNCTION_MASK;
    this.cfgstat = CFGSTAT_DONE;
    if (fn !== SYS_CFG_OSCCLK || device >= this.oscclk.length) {
      this.cfgstat |= CFGSTAT_ERROR;
      return;
    }
    if (this.cfgctrl & CFGCTRL_WRITE) this.oscclk[device] = this.cfgdataOut;
    else this.cfgdataRtn = this.oscclk[device];
  }
}

function uint32Prop(context: DeviceContext, name: string, fallback: number): number {
  const value = context.props[name];
  const n = value === undefined || value === null ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new Error(`${context.path}: ${name} must be a 32-bit value (got ${String(value)})`);
  return n;
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'mps2-scc': (context: DeviceContext) => new Mps2Scc(context) };
