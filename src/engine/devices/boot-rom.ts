// The boot ROM of QEMU's RISC-V virt board (its "MROM" at 0x1000, hw/riscv/boot.c): every hart
// starts here, loads a0 = mhartid, a1 = address of the device tree, a2 = address of a
// fw_dynamic_info block, and jumps to the firmware's entry point. Firmware built for QEMU virt
// (which reads the device tree from a1, as OpenSBI and Linux do) runs unchanged. The device offers
// boot information (./device.ts): on every reset the machine loads what bootImages returns — the
// ROM's code and, with fdt on, the board's device tree at the top of the boot RAM.
import { defineState, type StateDescriptor, type Stateful } from '../state.ts';
import type { BootContext, BootImage, BootInformation, Device, DeviceCapabilities, DeviceContext, RamBlock, Region } from './device.ts';

export const BOOT_ROM_SIZE = 0xf000;

/** The reset-vector code, word for word as QEMU 7.2 writes it for RV32. */
export const RESET_VECTOR_CODE = [
  0x00000297, // auipc t0, 0
  0x02828613, // addi  a2, t0, 40     (a2 = &fw_dynamic_info)
  0xf1402573, // csrr  a0, mhartid
  0x0202a583, // lw    a1, 32(t0)     (device tree address)
  0x0182a283, // lw    t0, 24(t0)     (entry point)
  0x00028067, // jr    t0
];

/** fw_dynamic_info (OpenSBI's handoff block) as QEMU fills it. */
export const FW_DYNAMIC_INFO_MAGIC = 0x4942534f; // "OSBI"
export const FW_DYNAMIC_INFO_VERSION = 2;
export const FW_DYNAMIC_INFO_NEXT_MODE_S = 1;

export const BOOT_ROM_STATE = defineState({ name: 'boot-rom', version: 1, fields: [] });

export class BootRom implements Device, Stateful, BootInformation {
  readonly path: string;
  readonly stateDescriptor: StateDescriptor = BOOT_ROM_STATE;
  readonly capabilities: DeviceCapabilities = { boot: this };
  readonly memory: RamBlock;
  readonly regions: ReadonlyMap<string, Region>;
  /** Place a device tree in RAM and pass its address in a1. */
  readonly placesDeviceTree: boolean;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.placesDeviceTree = context.props.fdt !== false;
    this.memory = context.allocateRam(BOOT_ROM_SIZE);
    this.regions = new Map([['mem', { kind: 'ram', ...this.memory, readOnly: true }]]);
  }

  /** The ROM's contents for firmware entering at `entry` with its device tree at `fdtAddress` (0: none). */
  contents(entry: number, fdtAddress: number): Uint8Array {
    const words = [
      ...RESET_VECTOR_CODE,
      entry >>> 0, 0, // start address, low and high halves
      fdtAddress >>> 0, 0, // device tree address
      FW_DYNAMIC_INFO_MAGIC, FW_DYNAMIC_INFO_VERSION, entry >>> 0, FW_DYNAMIC_INFO_NEXT_MODE_S, 0 /* options */, 0 /* boot hart */,
    ];
    const bytes = new Uint8Array(words.length * 4);
    const view = new DataView(bytes.buffer);
    words.forEach((w, i) => view.setUint32(i * 4, w, true));
    return bytes;
  }

  /** Where QEMU puts the device tree: at the top of the first 3 GiB of RAM, 2 MiB aligned. */
  deviceTreeAddress(ramBase: number, ramSize: number, fdtSize: number): number {
    const top = Math.min(ramBase + ramSize, ramBase + 3 * 1024 * 1024 * 1024);
    const twoMiB = 2 * 1024 * 1024;
    return Math.floor((top - fdtSize) / twoMiB) * twoMiB;
  }

  /**
   * The ROM's contents for the firmware's entry (default: the boot RAM's base) and, with fdt on,
   * the device tree where QEMU puts it. Nothing when the ROM is not mapped in the system space.
   */
  bootImages(context: BootContext): BootImage[] {
    const base = context.regionBase('mem');
    if (base === undefined) return [];
    const { ram } = context;
    const entry = context.entry ?? ram?.base ?? 0;
    const images: BootImage[] = [];
    let fdtAddress = 0;
    if (this.placesDeviceTree && ram !== undefined) {
      const dtb = context.deviceTree();
      fdtAddress = this.deviceTreeAddress(ram.base, ram.size, dtb.length);
      if (fdtAddress >= ram.base) images.push({ name: '(device tree)', address: fdtAddress, data: dtb });
      else fdtAddress = 0;
    }
    images.push({ name: '(boot ROM)', address: base, data: this.contents(entry, fdtAddress) });
    return images;
  }

  reset(): void {}
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'boot-rom': (context: DeviceContext) => new BootRom(context) };
