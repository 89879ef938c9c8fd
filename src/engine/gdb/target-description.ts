// The RV32 target description gdb reads with qXfer:features:read:target.xml: the integer registers
// and pc (org.gnu.gdb.riscv.cpu), the CSRs a hart implements (org.gnu.gdb.riscv.csr) and the
// privilege level (org.gnu.gdb.riscv.virtual). Register numbers are gdb's own for RISC-V, which the
// p/P packets use: x0–x31 are 0–31, pc is 32, CSR n is 65 + n, priv is 65 + 4096.
import { CSR_NAMES, Csr } from '../cpu/csr.ts';
import type { Rv32Cpu } from '../cpu/rv32.ts';
import { ABI_NAMES } from '../trace.ts';

export const PC_REGNUM = 32;
export const FIRST_CSR_REGNUM = 65;
export const PRIV_REGNUM = FIRST_CSR_REGNUM + 4096;

/** gdb's name for a CSR number (as in gdb's riscv CSR list; ranges numbered). */
export function csrName(csr: number): string {
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
export function implementedCsrs(cpu: Rv32Cpu): number[] {
  const csrs: number[] = [];
  for (let csr = 0; csr < 4096; csr++) {
    try {
      cpu.readCsr(csr);
      csrs.push(csr);
    } catch {
      // not implemented on this hart
    }
  }
  return csrs;
}

/** target.xml for an RV32 hart with these CSRs. */
export function targetDescriptionXml(csrs: readonly number[]): string {
  const reg = (name: string, regnum: number, type = 'int', group?: string) =>
    `    <reg name="${name}" bitsize="32" regnum="${regnum}" type="${type}"${group ? ` group="${group}"` : ''}/>\n`;
  let xml = '<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n<target version="1.0">\n  <architecture>riscv:rv32</architecture>\n';
  xml += '  <feature name="org.gnu.gdb.riscv.cpu">\n';
  ABI_NAMES.forEach((name, i) => {
    xml += reg(name, i, i === 1 ? 'code_ptr' : i === 2 || i === 8 ? 'data_ptr' : 'int');
  });
  xml += reg('pc', PC_REGNUM, 'code_ptr');
  xml += '  </feature>\n';
  if (csrs.length > 0) {
    xml += '  <feature name="org.gnu.gdb.riscv.csr">\n';
    for (const csr of csrs) xml += reg(csrName(csr), FIRST_CSR_REGNUM + csr, 'int', 'csr');
    xml += '  </feature>\n';
  }
  xml += '  <feature name="org.gnu.gdb.riscv.virtual">\n';
  xml += reg('priv', PRIV_REGNUM, 'int', 'general');
  xml += '  </feature>\n</target>\n';
  return xml;
}
