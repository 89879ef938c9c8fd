// The RV32 register file, in one place: the integer registers' ABI names (used by the disassembler,
// the register panel, the tracer and gdb), gdb's CSR names and register numbers, the register file
// as the debug contract describes it (../contract.ts RegisterInfo), and the target description
// gdb reads with qXfer:features:read:target.xml: the integer registers and pc
// (org.gnu.gdb.riscv.cpu), the floating-point registers of a hart with F or D
// (org.gnu.gdb.riscv.fpu, laid out as QEMU 7.2's riscv-32bit-fpu.xml / riscv-64bit-fpu.xml), the
// CSRs a hart implements (org.gnu.gdb.riscv.csr) and the privilege level
// (org.gnu.gdb.riscv.virtual). Register numbers are gdb's own for RISC-V, which the p/P packets
// use: x0–x31 are 0–31, pc is 32, f0–f31 are 33–64, CSR n is 65 + n, priv is 65 + 4096.
import type { RegisterInfo, RegisterRole } from '../contract.ts';
import { CSR_NAMES, Csr } from './csr.ts';

/** ABI register names of x0..x31, as objdump prints them (s0, not fp). */
export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

/** Integer register numbers the ABI gives a meaning. */
export const REG_RA = 1;
const REG_SP = 2;
const REG_GP = 3;
const REG_TP = 4;
const REG_S0 = 8;
/** The ABI's alternate link register. */
export const REG_T0 = 5;

/** ABI names of f0..f31, as objdump prints them. */
export const FLOAT_ABI_NAMES: readonly string[] = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
];

export const PC_REGNUM = 32;
/** gdb's number of f0 (the register file's index of f0 too: the float registers follow pc). */
export const FIRST_FLOAT_REGNUM = 33;
export const FIRST_CSR_REGNUM = 65;
export const PRIV_REGNUM = FIRST_CSR_REGNUM + 4096;

/** gdb's name for a CSR number (as in gdb's riscv CSR list; ranges numbered). */
function csrName(csr: number): string {
  const named = CSR_NAMES.get(csr);
  if (named !== undefined && !/\d$/.test(named)) return named;
  const ranges: Array<[number, number, string, number]> = [
    [Csr.PMPCFG0, Csr.PMPCFG3, 'pmpcfg', 0],
    [Csr.PMPADDR0, Csr.PMPADDR15, 'pmpaddr', 0],
    [Csr.MHPMEVENT3, Csr.MHPMEVENT31, 'mhpmevent', 3],
    [Csr.MHPMCOUNTER3, Csr.MHPMCOUNTER31, 'mhpmcounter', 3],
    [Csr.MHPMCOUNTER3H, Csr.MHPMCOUNTER31H, 'mhpmcounter', 3],
    [Csr.HPMCOUNTER3, Csr.HPMCOUNTER31, 'hpmcounter', 3],
    [Csr.HPMCOUNTER3H, Csr.HPMCOUNTER31H, 'hpmcounter', 3],
  ];
  for (const [first, last, prefix, base] of ranges) {
    if (csr >= first && csr <= last) return `${prefix}${csr - first + base}${first === Csr.MHPMCOUNTER3H || first === Csr.HPMCOUNTER3H ? 'h' : ''}`;
  }
  return named ?? `csr${csr}`;
}

/** The CSR numbers a hart implements (those its debugger read accepts), ascending. */
export function implementedCsrs(readCsr: (csr: number) => number): number[] {
  const csrs: number[] = [];
  for (let csr = 0; csr < 4096; csr++) {
    try {
      readCsr(csr);
      csrs.push(csr);
    } catch {
      // not implemented on this hart
    }
  }
  return csrs;
}

const INTEGER_ROLES: ReadonlyMap<number, RegisterRole> = new Map<number, RegisterRole>([
  [0, 'zero'],
  [REG_RA, 'return-address'],
  [REG_SP, 'stack-pointer'],
  [REG_GP, 'pointer'],
  [REG_TP, 'pointer'],
  [REG_S0, 'pointer'],
]);

/**
 * The register file of a hart with these CSRs and floating-point registers `floatBits` wide (0
 * without F, 32 with F only, 64 with D): x0..x31 (index = register number), pc (index 32),
 * f0..f31 (indices 33..64, when there are any), the CSRs, priv.
 */
export function registerFile(csrs: readonly number[], floatBits = 0): RegisterInfo[] {
  const registers: RegisterInfo[] = ABI_NAMES.map((name, i) => {
    const role = INTEGER_ROLES.get(i);
    return { name, aliases: i === REG_S0 ? [`x${i}`, 'fp'] : [`x${i}`], bits: 32, group: 'general', regnum: i, ...(role && { role }) };
  });
  registers.push({ name: 'pc', aliases: [], bits: 32, group: 'pc', role: 'pc', regnum: PC_REGNUM });
  if (floatBits !== 0) {
    FLOAT_ABI_NAMES.forEach((name, i) => registers.push({ name, aliases: [`f${i}`], bits: floatBits, group: 'float', regnum: FIRST_FLOAT_REGNUM + i }));
  }
  for (const csr of csrs) registers.push({ name: csrName(csr), aliases: [], bits: 32, group: 'system', regnum: FIRST_CSR_REGNUM + csr });
  registers.push({ name: 'priv', aliases: [], bits: 32, group: 'virtual', regnum: PRIV_REGNUM });
  return registers;
}

/** The CSRs gdb finds in the fpu feature of a hart with F only (QEMU 7.2's riscv-32bit-fpu.xml), not in the csr feature. */
const FPU_FEATURE_CSRS: readonly number[] = [Csr.FFLAGS, Csr.FRM, Csr.FCSR];

/**
 * target.xml for an RV32 hart with these CSRs and floating-point registers `floatBits` wide (0, 32
 * or 64). The fpu feature is QEMU 7.2's: with D, 64-bit registers of a float/double union type and
 * fflags, frm, fcsr left to the csr feature; with F only, single-precision registers followed by
 * fflags, frm and fcsr.
 */
export function targetDescriptionXml(csrs: readonly number[], floatBits = 0): string {
  const reg = (name: string, regnum: number, type = 'int', group?: string, bits = 32) =>
    `    <reg name="${name}" bitsize="${bits}" regnum="${regnum}" type="${type}"${group ? ` group="${group}"` : ''}/>\n`;
  let xml = '<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n  <architecture>riscv:rv32</architecture>\n';
  xml += '  <feature name="org.gnu.gdb.riscv.cpu">\n';
  ABI_NAMES.forEach((name, i) => {
    xml += reg(name, i, i === REG_RA ? 'code_ptr' : i === REG_SP || i === REG_S0 ? 'data_ptr' : 'int');
  });
  xml += reg('pc', PC_REGNUM, 'code_ptr');
  xml += '  </feature>\n';
  const fpuCsrs = floatBits === 32 ? FPU_FEATURE_CSRS.filter((csr) => csrs.includes(csr)) : [];
  if (floatBits !== 0) {
    xml += '  <feature name="org.gnu.gdb.riscv.fpu">\n';
    const type = floatBits === 64 ? 'riscv_double' : 'ieee_single';
    if (floatBits === 64) {
      xml += '    <union id="riscv_double">\n      <field name="float" type="ieee_single"/>\n      <field name="double" type="ieee_double"/>\n    </union>\n';
    }
    FLOAT_ABI_NAMES.forEach((name, i) => {
      xml += reg(name, FIRST_FLOAT_REGNUM + i, type, undefined, floatBits);
    });
    for (const csr of fpuCsrs) xml += reg(csrName(csr), FIRST_CSR_REGNUM + csr);
    xml += '  </feature>\n';
  }
  const csrFeature = csrs.filter((csr) => !fpuCsrs.includes(csr));
  if (csrFeature.length > 0) {
    xml += '  <feature name="org.gnu.gdb.riscv.csr">\n';
    for (const csr of csrFeature) xml += reg(csrName(csr), FIRST_CSR_REGNUM + csr, 'int', 'csr');
    xml += '  </feature>\n';
  }
  xml += '  <feature name="org.gnu.gdb.riscv.virtual">\n';
  xml += reg('priv', PRIV_REGNUM, 'int', 'general');
  xml += '  </feature>\n</target>\n';
  return xml;
}
