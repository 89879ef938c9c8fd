// The Cortex-M core's debug contract (../contract.ts CpuDebug): its register file as data (gdb's
// M-profile numbering: r0-r12, sp, lr, pc as 0-15, xpsr as 25; then the system registers msp, psp,
// primask, basepri, faultmask, control), register access as a debugger does it, identity
// translation (no MMU), instruction lengths, call detection for step over, and a disassembly listing
// as objdump prints it (./disasm.ts).
import type { CodeReader, CpuDebug, Disassembly, DisassemblyOptions, RegisterInfo, WatchpointHit, WatchpointKind } from '../contract.ts';
import type { AddressSpace } from '../../memory.ts';
import type { CortexM } from './cortex-m.ts';
import { thumbDisassembly, thumbInstructionLength } from './disasm.ts';
import type { SystemControlSpace } from './scs.ts';

/** ELF e_machine of ARM. */
const EM_ARM = 40;

/** gdb's register number of xPSR in the M-profile target description. */
const XPSR_REGNUM = 25;

const GENERAL_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc'];
const SYSTEM_NAMES = ['msp', 'psp', 'primask', 'basepri', 'faultmask', 'control'] as const;
type SystemName = (typeof SYSTEM_NAMES)[number];

/** The register file: r0-r15 (indices 0-15), xpsr (16), the system registers (17-22). */
function registerFile(): RegisterInfo[] {
  const registers: RegisterInfo[] = GENERAL_NAMES.map((name, i) => ({
    name,
    aliases: i === 13 ? ['r13'] : i === 14 ? ['r14'] : i === 15 ? ['r15'] : i === 11 ? ['fp'] : i === 12 ? ['ip'] : [],
    bits: 32,
    group: i === 15 ? 'pc' : 'general',
    ...(i === 13 ? { role: 'stack-pointer' as const } : i === 14 ? { role: 'return-address' as const } : i === 15 ? { role: 'pc' as const } : {}),
    regnum: i,
  }));
  registers.push({ name: 'xpsr', aliases: ['cpsr'], bits: 32, group: 'system', role: 'status', regnum: XPSR_REGNUM });
  SYSTEM_NAMES.forEach((name, i) => {
    registers.push({ name, aliases: [], bits: 32, group: 'system', ...(name === 'msp' || name === 'psp' ? { role: 'stack-pointer' as const } : {}), regnum: XPSR_REGNUM + 1 + i });
  });
  return registers;
}

const REGISTERS = registerFile();
const XPSR_INDEX = 16;
const PC_INDEX = 15;

/** gdb's target description: the M-profile core feature and the system registers. */
function targetDescriptionXml(): string {
  const core = GENERAL_NAMES.map((name, i) => {
    const type = i === 13 ? ' type="data_ptr"' : i === 15 ? ' type="code_ptr"' : '';
    return `    <reg name="${name}" bitsize="32" regnum="${i}"${type}/>`;
  });
  const system = SYSTEM_NAMES.map((name, i) => {
    const type = name === 'msp' || name === 'psp' ? ' type="data_ptr"' : '';
    return `    <reg name="${name}" bitsize="32" regnum="${XPSR_REGNUM + 1 + i}"${type} group="system"/>`;
  });
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target>',
    '  <architecture>arm</architecture>',
    '  <feature name="org.gnu.gdb.arm.m-profile">',
    ...core,
    `    <reg name="xpsr" bitsize="32" regnum="${XPSR_REGNUM}"/>`,
    '  </feature>',
    '  <feature name="org.gnu.gdb.arm.m-system">',
    ...system,
    '  </feature>',
    '</target>',
    '',
  ].join('\n');
}

function halfword(read: CodeReader, address: number): number | undefined {
  const bytes = read(address >>> 0, 2);
  return bytes === undefined || bytes.length < 2 ? undefined : bytes[0] | (bytes[1] << 8);
}

export class ArmDebug implements CpuDebug {
  readonly registers: readonly RegisterInfo[] = REGISTERS;
  readonly pcIndex = PC_INDEX;
  /** gdb's g packet for the M-profile description: r0-r15 then xpsr (regnum 25 follows 15 directly in QEMU's packet order). */
  readonly gPacketRegisters: readonly number[] = [...Array.from({ length: 16 }, (_, i) => i), XPSR_INDEX];
  readonly instructionAlignment = 2;
  readonly elfMachines: readonly number[] = [EM_ARM];

  constructor(
    private readonly cpu: CortexM,
    readonly space: AddressSpace,
  ) {}

  targetXml(): string {
    return targetDescriptionXml();
  }

  peekSystemRegister(offset: number): number | undefined {
    // the core sees its SCS through the narrower ExceptionController; the object is the SystemControlSpace, which can peek
    const scs: object = this.cpu.scs;
    return 'peek' in scs ? (scs as Pick<SystemControlSpace, 'peek'>).peek(offset) : undefined;
  }

  readRegister(index: number): number | undefined {
    const cpu = this.cpu;
    if (index >= 0 && index < 15) return cpu.r[index] >>> 0;
    if (index === PC_INDEX) return cpu.pc;
    if (index === XPSR_INDEX) return cpu.xpsr;
    const name = SYSTEM_NAMES[index - XPSR_INDEX - 1] as SystemName | undefined;
    switch (name) {
      case 'msp': return cpu.msp;
      case 'psp': return cpu.psp;
      case 'primask': return cpu.primask;
      case 'basepri': return cpu.basepri;
      case 'faultmask': return cpu.faultmask;
      case 'control': return cpu.control;
      default: return undefined;
    }
  }

  writeRegister(index: number, value: number): boolean {
    const cpu = this.cpu;
    if (index >= 0 && index < 15) {
      cpu.r[index] = index === 13 ? value & ~3 : value | 0;
      return true;
    }
    if (index === PC_INDEX) {
      cpu.pc = value >>> 0;
      return true;
    }
    if (index === XPSR_INDEX) {
      cpu.xpsr = value >>> 0;
      cpu.updatePriority();
      return true;
    }
    const name = SYSTEM_NAMES[index - XPSR_INDEX - 1] as SystemName | undefined;
    switch (name) {
      case 'msp': cpu.msp = value; return true;
      case 'psp': cpu.psp = value; return true;
      case 'primask': cpu.primask = value & 1; break;
      case 'basepri': cpu.basepri = value & 0xff; break;
      case 'faultmask': cpu.faultmask = value & 1; break;
      case 'control': cpu.setControlRegister(value); return true;
      default: return false;
    }
    cpu.updatePriority();
    return true;
  }

  readRegisterBits(index: number): bigint | undefined {
    const value = this.readRegister(index);
    return value === undefined ? undefined : BigInt(value >>> 0);
  }

  writeRegisterBits(index: number, value: bigint): boolean {
    return this.writeRegister(index, Number(BigInt.asUintN(32, value)));
  }

  translate(va: number): number | undefined {
    return va >>> 0;
  }

  instructionLength(read: CodeReader, address: number): number | undefined {
    const first = halfword(read, address);
    if (first === undefined) return undefined;
    return thumbInstructionLength(first);
  }

  /** objdump's text for the core's profile; `options.symbolize` names branch targets and literal addresses (`bl\t1c8 <uart_putc>`). */
  disassembly(options: DisassemblyOptions = {}): Disassembly {
    return thumbDisassembly(options, { profile: this.cpu.profile });
  }

  /** BL and BLX (register) link the return address in lr: the calls step over steps over. */
  callReturnAddress(read: CodeReader, address: number): number | undefined {
    const first = halfword(read, address);
    if (first === undefined) return undefined;
    if ((first & 0xff87) === 0x4780) return (address + 2) >>> 0; // BLX rm
    if ((first & 0xf800) === 0xf000) {
      const second = halfword(read, address + 2);
      if (second !== undefined && (second & 0xd000) === 0xd000) return (address + 4) >>> 0; // BL
    }
    return undefined;
  }

  describe(): string {
    return this.cpu.describe();
  }

  setWatchpoint(kind: WatchpointKind, address: number, length: number): void {
    this.cpu.setWatchpoint(kind, address, length);
  }

  removeWatchpoint(kind: WatchpointKind, address: number, length: number): boolean {
    return this.cpu.removeWatchpoint(kind, address, length);
  }

  get watchpointHit(): WatchpointHit | undefined {
    return this.cpu.watchpointHit;
  }
}
