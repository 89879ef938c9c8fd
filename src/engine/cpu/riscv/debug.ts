// The RV32 hart's debug contract (../contract.ts CpuDebug): its register file as data, register
// access as a debugger does it (no privilege checks, no side effects on reads), Sv32 translation
// for debugger accesses (no A/D updates, no TLB), disassembly as objdump prints it, and call
// detection for step over.
import type { CodeReader, CpuDebug, DisassembledLine, Disassembly, DisassemblyOptions, RegisterInfo, WatchpointHit, WatchpointKind } from '../contract.ts';
import type { AddressSpace } from '../../memory.ts';
import { Csr, PRIV_M, PTE_R, PTE_V, PTE_W, PTE_X, SATP_MODE_SV32, SATP_PPN_MASK } from './csr.ts';
import { decodeInto, EXT_A, EXT_C, EXT_I, EXT_M, EXT_S, EXT_U, Op } from './decode.ts';
import { disassemble, DisassemblyContext, formatInstruction, formatInstructionBytes, instructionLength } from './disasm.ts';
import { FIRST_CSR_REGNUM, FIRST_FLOAT_REGNUM, implementedCsrs, PC_REGNUM, PRIV_REGNUM, REG_RA, REG_T0, registerFile, targetDescriptionXml } from './registers.ts';
import type { Rv32Cpu } from './rv32.ts';

/** ELF e_machine of RISC-V. */
const EM_RISCV = 243;

const PAGE = 4096;
const HALFWORD = 2;
const EVERY_EXTENSION = EXT_I | EXT_M | EXT_A | EXT_C | EXT_S | EXT_U;
const scratchWord = new Int32Array(1);
const scratchImm = new Int32Array(1);

/** Is `raw` (as fetched: 16 or 32 bits) a call — a jal/jalr that links through ra or t0, as the ABI's calls do? Asks the hart's decoder. */
export function isCall(raw: number): boolean {
  decodeInto(scratchWord, scratchImm, 0, raw, EVERY_EXTENSION);
  const op = scratchWord[0] & 0xff;
  const rd = (scratchWord[0] >>> 8) & 63;
  return (op === Op.JAL || op === Op.JALR) && (rd === REG_RA || rd === REG_T0);
}

/** The instruction at `address` (32-bit or compressed, read a halfword at a time as the hart fetches), or undefined when unreadable. */
function readRaw(read: CodeReader, address: number): number | undefined {
  const halfword = (at: number): number | undefined => {
    const bytes = read(at >>> 0, HALFWORD);
    return bytes === undefined || bytes.length < HALFWORD ? undefined : bytes[0] | (bytes[1] << 8);
  };
  const low = halfword(address);
  if (low === undefined) return undefined;
  if (instructionLength(low) === 2) return low;
  const high = halfword(address + HALFWORD);
  return high === undefined ? undefined : (low | (high << 16)) >>> 0;
}

export class RiscvDebug implements CpuDebug {
  readonly pcIndex = PC_REGNUM;
  /** x0..x31 and pc, as gdb's g packet carries them. */
  readonly gPacketRegisters: readonly number[] = Array.from({ length: PC_REGNUM + 1 }, (_, i) => i);
  readonly instructionAlignment = HALFWORD;
  readonly elfMachines: readonly number[] = [EM_RISCV];
  private file: { registers: RegisterInfo[]; csrs: number[] } | undefined;

  constructor(
    private readonly cpu: Rv32Cpu,
    readonly space: AddressSpace,
  ) {}

  /** Built on first use: finding the implemented CSRs probes all 4096. */
  private get registerFile(): { registers: RegisterInfo[]; csrs: number[] } {
    if (this.file === undefined) {
      const csrs = implementedCsrs((csr) => this.cpu.readCsr(csr));
      this.file = { registers: registerFile(csrs, this.cpu.floatBits), csrs };
    }
    return this.file;
  }

  get registers(): readonly RegisterInfo[] {
    return this.registerFile.registers;
  }

  targetXml(): string {
    return targetDescriptionXml(this.registerFile.csrs, this.cpu.floatBits);
  }

  readRegister(index: number): number | undefined {
    if (index >= 0 && index < 32) return this.cpu.x[index] >>> 0;
    if (index === PC_REGNUM) return this.cpu.pc >>> 0;
    const info = this.registers[index];
    if (info === undefined) return undefined;
    if (info.regnum === PRIV_REGNUM) return this.cpu.privilege;
    if (info.group === 'float') return this.cpu.fregLo[info.regnum - FIRST_FLOAT_REGNUM];
    try {
      return this.cpu.readCsr(info.regnum - FIRST_CSR_REGNUM);
    } catch {
      return undefined;
    }
  }

  writeRegister(index: number, value: number): boolean {
    if (index >= 0 && index < 32) {
      if (index > 0) this.cpu.x[index] = value | 0; // x0 stays 0
      return true;
    }
    if (index === PC_REGNUM) {
      this.cpu.pc = value >>> 0;
      return true;
    }
    const info = this.registers[index];
    if (info?.group === 'float') return this.writeRegisterBits(index, BigInt(value >>> 0));
    if (info === undefined || info.group !== 'system') return false;
    try {
      this.cpu.writeCsr(info.regnum - FIRST_CSR_REGNUM, value);
      return true;
    } catch {
      return false;
    }
  }

  readRegisterBits(index: number): bigint | undefined {
    const info = this.registers[index];
    if (info?.group === 'float') {
      const f = info.regnum - FIRST_FLOAT_REGNUM;
      const low = BigInt(this.cpu.fregLo[f]);
      return info.bits === 64 ? (BigInt(this.cpu.fregHi[f]) << 32n) | low : low;
    }
    const value = this.readRegister(index);
    return value === undefined ? undefined : BigInt(value >>> 0);
  }

  writeRegisterBits(index: number, value: bigint): boolean {
    const info = this.registers[index];
    if (info?.group === 'float') {
      // with F only a register holds a single: written NaN-boxed, as every single-precision write is
      const f = info.regnum - FIRST_FLOAT_REGNUM;
      this.cpu.fregLo[f] = Number(BigInt.asUintN(32, value));
      this.cpu.fregHi[f] = info.bits === 64 ? Number(BigInt.asUintN(32, value >> 32n)) : 0xffff_ffff;
      return true;
    }
    return this.writeRegister(index, Number(BigInt.asUintN(32, value)));
  }

  translate(va: number): number | undefined {
    va >>>= 0;
    let satp: number;
    try {
      satp = this.cpu.readCsr(Csr.SATP);
    } catch {
      return va; // no S-mode, no translation
    }
    if ((satp & SATP_MODE_SV32) === 0 || this.cpu.privilege === PRIV_M) return va;
    let table = (satp & SATP_PPN_MASK) * PAGE;
    for (let level = 1; level >= 0; level--) {
      const vpn = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
      const pteAddress = table + vpn * 4;
      if (pteAddress >= 0x1_0000_0000) return undefined;
      let pte: number;
      try {
        pte = this.space.load(pteAddress, 4);
      } catch {
        return undefined;
      }
      if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) return undefined;
      const ppn = pte >>> 10;
      if ((pte & (PTE_R | PTE_X)) !== 0) {
        const pa = level === 1 ? (ppn >>> 10) * 0x40_0000 + (va & 0x3f_ffff) : ppn * PAGE + (va & 0xfff);
        if (level === 1 && (ppn & 0x3ff) !== 0) return undefined; // misaligned superpage
        return pa < 0x1_0000_0000 ? pa : undefined;
      }
      table = ppn * PAGE;
    }
    return undefined;
  }

  instructionLength(read: CodeReader, address: number): number | undefined {
    const bytes = read(address >>> 0, HALFWORD);
    return bytes === undefined || bytes.length < HALFWORD ? undefined : instructionLength(bytes[0] | (bytes[1] << 8));
  }

  disassembly(options: DisassemblyOptions = {}): Disassembly {
    // the listing decodes the float instructions this hart runs (a hart without F shows them as data, as it traps on them)
    const floatBits = this.cpu.floatBits;
    const floatExtensions = floatBits === 64 ? 'FD' : floatBits === 32 ? 'F' : 'none';
    const context = new DisassemblyContext({ gp: options.symbolValue?.('__global_pointer$'), floatExtensions });
    const symbolize = options.symbolize;
    return {
      next: (read: CodeReader, address: number): DisassembledLine | undefined => {
        const raw = readRaw(read, address);
        if (raw === undefined) return undefined;
        const insn = disassemble(raw, address, context);
        const text = formatInstruction(insn, symbolize ? (target) => symbolize(target, address) : undefined);
        return { length: insn.length, bytes: formatInstructionBytes(raw, insn.length), text };
      },
    };
  }

  callReturnAddress(read: CodeReader, address: number): number | undefined {
    const raw = readRaw(read, address);
    if (raw === undefined || !isCall(raw)) return undefined;
    return (address + instructionLength(raw & 0xffff)) >>> 0;
  }

  describe(): string {
    return `hart ${this.cpu.hartId}${this.cpu.waitingForInterrupt ? ' (wfi)' : ''}`;
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
