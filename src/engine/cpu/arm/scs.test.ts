// The System Control Space against the ARMv7-M/ARMv6-M ARM and what QEMU 7.2 reads back on its
// mps2-an385 (cortex-m3) and microbit (cortex-m0) machines (scs.reference.test.ts checks a
// sequence of accesses on QEMU live).
import { describe, expect, it } from 'vitest';
import { loadState, saveState, StateError, type SavedState } from '../../state.ts';
import {
  AIRCR_ENDIANNESS,
  AIRCR_SYSRESETREQ,
  AIRCR_VECTCLRACTIVE,
  AIRCR_VECTRESET,
  BFSR_IBUSERR,
  BFSR_IMPRECISERR,
  BFSR_LSPERR,
  BFSR_STKERR,
  BFSR_UNSTKERR,
  CPUID_CORTEX_M0PLUS,
  DFSR_DWTTRAP,
  DFSR_EXTERNAL,
  DFSR_HALTED,
  DFSR_VCATCH,
  HFSR_DEBUGEVT,
  MMFSR_IACCVIOL,
  MMFSR_MLSPERR,
  MMFSR_MSTKERR,
  MMFSR_MUNSTKERR,
  SCB_AFSR,
  SCB_CPACR,
  SCS_ACTLR,
  UFSR_INVPC,
  UFSR_INVSTATE,
  UFSR_NOCP,
  UFSR_UNALIGNED,
  BFSR_BFARVALID,
  BFSR_PRECISERR,
  CPUID_CORTEX_M0,
  CPUID_CORTEX_M3,
  DFSR_BKPT,
  EXC_BUSFAULT,
  EXC_HARDFAULT,
  EXC_IRQ0,
  EXC_MEMMANAGE,
  EXC_NMI,
  EXC_PENDSV,
  EXC_SVCALL,
  EXC_SYSTICK,
  EXC_USAGEFAULT,
  HFSR_FORCED,
  HFSR_VECTTBL,
  MMFSR_DACCVIOL,
  NO_EXCEPTION_PRIORITY,
  type ScsHost,
  type ScsOptions,
  SystemControlSpace,
  UFSR_DIVBYZERO,
  UFSR_UNDEFINSTR,
} from './scs.ts';

const BASE = 0xe000_e000;

class FakeHost implements ScsHost {
  now = 0;
  scheduled: number | undefined = undefined;
  changes = 0;
  resets = 0;
  exception = 0;
  nowNs(): number {
    return this.now;
  }
  scheduleAt(ns: number | undefined): void {
    this.scheduled = ns;
  }
  exceptionStateChanged(): void {
    this.changes++;
  }
  requestSystemReset(): void {
    this.resets++;
  }
  currentException(): number {
    return this.exception;
  }
}

const M3: ScsOptions = { numIrq: 32, priorityBits: 8, profile: 'v7m', cpuid: CPUID_CORTEX_M3, clockHz: 25_000_000, refClockHz: 1_000_000 };
const M0: ScsOptions = { numIrq: 32, priorityBits: 2, profile: 'v6m', cpuid: CPUID_CORTEX_M0, clockHz: 16_000_000, refClockHz: 0 };

function make(options: ScsOptions = M3): { scs: SystemControlSpace; host: FakeHost } {
  const host = new FakeHost();
  return { scs: new SystemControlSpace(options, host), host };
}

const r32 = (scs: SystemControlSpace, address: number) => scs.read(address - BASE, 4);
const w32 = (scs: SystemControlSpace, address: number, value: number) => scs.write(address - BASE, value, 4);

describe('SCS reset values', () => {
  // address → value after reset (cortex-m3 on mps2-an385; cortex-m0 on microbit, which has no SysTick reference clock)
  const cases: Array<[string, number, number, number]> = [
    ['ICTR', 0xe000e004, 0x0000_0000, 0],
    ['ACTLR', 0xe000e008, 0, 0],
    ['SYST_CSR', 0xe000e010, 0, 0x4],
    ['SYST_RVR', 0xe000e014, 0, 0],
    ['SYST_CVR', 0xe000e018, 0, 0],
    ['SYST_CALIB', 0xe000e01c, 0x270f, 0x8000_0000],
    ['CPUID', 0xe000ed00, 0x410f_c231, 0x410c_c200],
    ['ICSR', 0xe000ed04, 0x800, 0x800],
    ['VTOR', 0xe000ed08, 0, 0],
    ['AIRCR', 0xe000ed0c, 0xfa05_0000, 0xfa05_0000],
    ['SCR', 0xe000ed10, 0, 0],
    ['CCR', 0xe000ed14, 0x200, 0x208],
    ['SHPR1', 0xe000ed18, 0, 0],
    ['SHPR2', 0xe000ed1c, 0, 0],
    ['SHPR3', 0xe000ed20, 0, 0],
    ['SHCSR', 0xe000ed24, 0, 0],
    ['CFSR', 0xe000ed28, 0, 0],
    ['HFSR', 0xe000ed2c, 0, 0],
    ['DFSR', 0xe000ed30, 0, 0],
    ['MMFAR', 0xe000ed34, 0, 0],
    ['BFAR', 0xe000ed38, 0, 0],
    ['AFSR', 0xe000ed3c, 0, 0],
    ['ID_PFR0', 0xe000ed40, 0x30, 0],
    ['ID_PFR1', 0xe000ed44, 0x200, 0],
    ['ID_DFR0', 0xe000ed48, 0x0010_0000, 0],
    ['ID_AFR0', 0xe000ed4c, 0, 0],
    ['ID_MMFR0', 0xe000ed50, 0x30, 0],
    ['ID_ISAR0', 0xe000ed60, 0x0114_1110, 0],
    ['ID_ISAR1', 0xe000ed64, 0x0211_1000, 0],
    ['ID_ISAR2', 0xe000ed68, 0x2111_2231, 0],
    ['ID_ISAR3', 0xe000ed6c, 0x0111_1110, 0],
    ['ID_ISAR4', 0xe000ed70, 0x0131_0102, 0],
    ['ID_ISAR5', 0xe000ed74, 0, 0],
    ['CPACR', 0xe000ed88, 0, 0],
    ['MPU_TYPE', 0xe000ed90, 0x800, 0],
    ['MPU_CTRL', 0xe000ed94, 0, 0],
    ['MPU_RNR', 0xe000ed98, 0, 0],
    ['MPU_RBAR', 0xe000ed9c, 0, 0],
    ['MPU_RASR', 0xe000eda0, 0, 0],
    ['PID4 (unimplemented)', 0xe000efd0, 0, 0],
    ['PID0', 0xe000efe0, 0x00, 0x00],
    ['PID1', 0xe000efe4, 0xb0, 0xb0],
    ['CID1', 0xe000eff4, 0xe0, 0xe0],
    ['CID3', 0xe000effc, 0xb1, 0xb1],
    ['ISER0', 0xe000e100, 0, 0],
    ['IABR0', 0xe000e300, 0, 0],
    ['IPR0', 0xe000e400, 0, 0],
  ];
  it.each(cases)('%s (v7-M cortex-m3)', (_name, address, m3) => {
    expect(r32(make(M3).scs, address)).toBe(m3);
  });
  it.each(cases)('%s (v6-M cortex-m0)', (_name, address, _m3, m0) => {
    expect(r32(make(M0).scs, address)).toBe(m0);
  });
  it('ICTR counts the lines in blocks of 32, minus one', () => {
    expect(r32(make({ ...M3, numIrq: 64 }).scs, 0xe000e004)).toBe(1);
    expect(r32(make({ ...M3, numIrq: 96 }).scs, 0xe000e004)).toBe(2);
  });
  it('the fixed priorities and the reset enables', () => {
    const { scs } = make();
    expect([1, 2, 3].map((n) => scs.priority(n))).toEqual([-3, -2, -1]);
    expect([EXC_NMI, EXC_HARDFAULT, EXC_SVCALL, EXC_PENDSV, EXC_SYSTICK].every((n) => scs.isEnabled(n))).toBe(true);
    expect([EXC_MEMMANAGE, EXC_BUSFAULT, EXC_USAGEFAULT, EXC_IRQ0].some((n) => scs.isEnabled(n))).toBe(false);
    expect(scs.activeCount()).toBe(0);
    expect(scs.activePriority()).toBe(NO_EXCEPTION_PRIORITY);
    expect(scs.vtor).toBe(0);
    expect(scs.ccr).toBe(0x200);
  });
  it('reset() brings back the reset values after writes', () => {
    const { scs, host } = make();
    w32(scs, 0xe000ed08, 0x1000);
    w32(scs, 0xe000e100, 0xffff_ffff);
    scs.setPending(EXC_IRQ0 + 3);
    w32(scs, 0xe000ed14, 0);
    const before = host.changes;
    scs.reset();
    expect(r32(scs, 0xe000ed08)).toBe(0);
    expect(r32(scs, 0xe000e100)).toBe(0);
    expect(r32(scs, 0xe000e200)).toBe(0);
    expect(r32(scs, 0xe000ed14)).toBe(0x200);
    expect(host.changes).toBeGreaterThan(before);
  });
});

describe('SCS register writes', () => {
  it('SCR keeps SLEEPONEXIT and SEVONPEND; SLEEPDEEP reads as zero (QEMU: no deep sleep); RAZ/WI on v6-M', () => {
    const { scs } = make();
    w32(scs, 0xe000ed10, 0xffff_ffff);
    expect(r32(scs, 0xe000ed10)).toBe(0xffff_fff3);
    expect(scs.sleepOnExit).toBe(true);
    expect(scs.sevOnPend).toBe(true);
    w32(scs, 0xe000ed10, 0x10);
    expect(scs.sleepOnExit).toBe(false);
    expect(scs.sevOnPend).toBe(true);
    const m0 = make(M0).scs;
    w32(m0, 0xe000ed10, 0xffff_ffff);
    expect(r32(m0, 0xe000ed10)).toBe(0);
  });
  it('CCR keeps STKALIGN, BFHFNMIGN, DIV_0_TRP, UNALIGN_TRP, USERSETMPEND, NONBASETHRDENA; read-only on v6-M', () => {
    const { scs } = make();
    w32(scs, 0xe000ed14, 0xffff_ffff);
    expect(r32(scs, 0xe000ed14)).toBe(0x31b);
    expect(scs.ccr).toBe(0x31b);
    w32(scs, 0xe000ed14, 0x10);
    expect(scs.ccr).toBe(0x10);
    const m0 = make(M0).scs;
    w32(m0, 0xe000ed14, 0);
    expect(r32(m0, 0xe000ed14)).toBe(0x208);
  });
  it('VTOR keeps bits [31:7]', () => {
    const { scs } = make();
    w32(scs, 0xe000ed08, 0xffff_ffff);
    expect(r32(scs, 0xe000ed08)).toBe(0xffff_ff80);
    expect(scs.vtor).toBe(0xffff_ff80);
  });
  it('SHPR1–3 keep the implemented priority bits of the configurable system handlers; reserved fields RAZ/WI', () => {
    const { scs } = make();
    w32(scs, 0xe000ed18, 0xffff_ffff);
    w32(scs, 0xe000ed1c, 0xffff_ffff);
    w32(scs, 0xe000ed20, 0xffff_ffff);
    expect(r32(scs, 0xe000ed18)).toBe(0x00ff_ffff);
    expect(r32(scs, 0xe000ed1c)).toBe(0xff00_0000);
    expect(r32(scs, 0xe000ed20)).toBe(0xffff_00ff);
    expect(scs.priority(EXC_SVCALL)).toBe(0xff);
    // byte access to one field
    scs.write(0xd22, 0x40, 1);
    expect(scs.priority(EXC_PENDSV)).toBe(0x40);
    expect(scs.read(0xd22, 1)).toBe(0x40);
    expect(scs.read(0xd22, 2)).toBe(0xff40);
  });
  it('on v6-M with 2 priority bits: SHPR2/3 fields keep bits [7:6], SHPR1 is RAZ/WI', () => {
    const { scs } = make(M0);
    w32(scs, 0xe000ed18, 0xffff_ffff);
    w32(scs, 0xe000ed1c, 0xffff_ffff);
    w32(scs, 0xe000ed20, 0xffff_ffff);
    expect(r32(scs, 0xe000ed18)).toBe(0);
    expect(r32(scs, 0xe000ed1c)).toBe(0xc000_0000);
    expect(r32(scs, 0xe000ed20)).toBe(0xc0c0_00c0);
    w32(scs, 0xe000e400, 0xffff_ffff);
    expect(r32(scs, 0xe000e400)).toBe(0xc0c0_c0c0);
    expect(scs.read(0x401, 1)).toBe(0xc0);
    expect(scs.priority(EXC_IRQ0 + 1)).toBe(0xc0);
  });
  it('IPR: byte, halfword and word accesses reach one priority per byte', () => {
    const { scs } = make();
    scs.write(0x405, 0x12, 1);
    scs.write(0x406, 0x3456, 2);
    expect(r32(scs, 0xe000e404)).toBe(0x3456_1200);
    expect(scs.priority(EXC_IRQ0 + 5)).toBe(0x12);
    expect(scs.priority(EXC_IRQ0 + 7)).toBe(0x34);
    // lines beyond numIrq read as zero
    w32(scs, 0xe000e420, 0xffff_ffff);
    expect(r32(scs, 0xe000e420)).toBe(0);
  });
  it('AIRCR: without VECTKEY a write does nothing; with it PRIGROUP is written and SYSRESETREQ asks for a system reset', () => {
    const { scs, host } = make();
    w32(scs, 0xe000ed0c, 0x0000_0704);
    expect(r32(scs, 0xe000ed0c)).toBe(0xfa05_0000);
    expect(host.resets).toBe(0);
    w32(scs, 0xe000ed0c, 0x05fa_0500);
    expect(r32(scs, 0xe000ed0c)).toBe(0xfa05_0500);
    expect(host.resets).toBe(0);
    w32(scs, 0xe000ed0c, 0x05fa_0500 | AIRCR_SYSRESETREQ);
    expect(host.resets).toBe(1);
    // ENDIANNESS (bit 15) reads 0: little-endian
    expect(r32(scs, 0xe000ed0c)! & 0x8000).toBe(0);
  });
  it('AIRCR on v6-M: no PRIGROUP; SYSRESETREQ works', () => {
    const { scs, host } = make(M0);
    w32(scs, 0xe000ed0c, 0x05fa_0704);
    expect(r32(scs, 0xe000ed0c)).toBe(0xfa05_0000);
    expect(host.resets).toBe(1);
  });
  it('SHCSR: enables, pending and active bits of the system handlers', () => {
    const { scs } = make();
    w32(scs, 0xe000ed24, 0x0007_0000);
    expect(r32(scs, 0xe000ed24)).toBe(0x0007_0000);
    expect(scs.faultEnabled(4)).toBe(true);
    expect(scs.faultEnabled(5)).toBe(true);
    expect(scs.faultEnabled(6)).toBe(true);
    w32(scs, 0xe000ed24, 0x0002_0000);
    expect(scs.faultEnabled(4)).toBe(false);
    expect(scs.faultEnabled(5)).toBe(true);
    w32(scs, 0xe000ed24, 0xffff_ffff);
    expect(r32(scs, 0xe000ed24)).toBe(0x0007_fd8b);
    expect(scs.isActive(EXC_SVCALL)).toBe(true);
    expect(scs.isPending(EXC_SVCALL)).toBe(true);
    scs.activate(EXC_PENDSV);
    scs.setPending(EXC_USAGEFAULT);
    w32(scs, 0xe000ed24, 0);
    expect(r32(scs, 0xe000ed24)).toBe(0);
    expect(scs.activeCount()).toBe(0);
  });
  it('CFSR, HFSR, DFSR are write-one-to-clear; CFSR by byte too; MMFAR/BFAR read back', () => {
    const { scs } = make();
    scs.recordFault('mem', MMFSR_DACCVIOL, 0x1234);
    scs.recordFault('bus', BFSR_PRECISERR, 0x4000_0000);
    scs.recordFault('usage', UFSR_DIVBYZERO);
    scs.recordFault('hard', HFSR_FORCED);
    scs.recordFault('debug', DFSR_BKPT);
    expect(r32(scs, 0xe000ed28)).toBe(0x0200_8282);
    expect(scs.read(0xd29, 1)).toBe(0x82);
    expect(scs.read(0xd2a, 2)).toBe(0x0200);
    expect(r32(scs, 0xe000ed34)).toBe(0x1234);
    expect(r32(scs, 0xe000ed38)).toBe(0x4000_0000);
    expect(r32(scs, 0xe000ed2c)).toBe(0x4000_0000);
    expect(r32(scs, 0xe000ed30)).toBe(0x2);
    scs.write(0xd29, 0x80, 1); // BFARVALID
    expect(r32(scs, 0xe000ed28)).toBe(0x0200_0282);
    w32(scs, 0xe000ed28, 0xffff_ffff);
    expect(r32(scs, 0xe000ed28)).toBe(0);
    w32(scs, 0xe000ed2c, 0x4000_0000);
    expect(r32(scs, 0xe000ed2c)).toBe(0);
    w32(scs, 0xe000ed30, 0x2);
    expect(r32(scs, 0xe000ed30)).toBe(0);
    w32(scs, 0xe000ed34, 0x8765_4321);
    expect(r32(scs, 0xe000ed34)).toBe(0x8765_4321);
  });
  it.each([
    // kind, bit constant, the register and bit the ARMv7-M ARM (B3.2.15–B3.2.17, C1.6.2) gives it
    ['mem', MMFSR_IACCVIOL, 'cfsr', 0],
    ['mem', MMFSR_DACCVIOL, 'cfsr', 1],
    ['mem', MMFSR_MUNSTKERR, 'cfsr', 3],
    ['mem', MMFSR_MSTKERR, 'cfsr', 4],
    ['mem', MMFSR_MLSPERR, 'cfsr', 5],
    ['bus', BFSR_IBUSERR, 'cfsr', 8],
    ['bus', BFSR_PRECISERR, 'cfsr', 9],
    ['bus', BFSR_IMPRECISERR, 'cfsr', 10],
    ['bus', BFSR_UNSTKERR, 'cfsr', 11],
    ['bus', BFSR_STKERR, 'cfsr', 12],
    ['bus', BFSR_LSPERR, 'cfsr', 13],
    ['usage', UFSR_UNDEFINSTR, 'cfsr', 16],
    ['usage', UFSR_INVSTATE, 'cfsr', 17],
    ['usage', UFSR_INVPC, 'cfsr', 18],
    ['usage', UFSR_NOCP, 'cfsr', 19],
    ['usage', UFSR_UNALIGNED, 'cfsr', 24],
    ['usage', UFSR_DIVBYZERO, 'cfsr', 25],
    ['hard', HFSR_VECTTBL, 'hfsr', 1],
    ['hard', HFSR_FORCED, 'hfsr', 30],
    ['hard', HFSR_DEBUGEVT, 'hfsr', 31],
    ['debug', DFSR_HALTED, 'dfsr', 0],
    ['debug', DFSR_BKPT, 'dfsr', 1],
    ['debug', DFSR_DWTTRAP, 'dfsr', 2],
    ['debug', DFSR_VCATCH, 'dfsr', 3],
    ['debug', DFSR_EXTERNAL, 'dfsr', 4],
  ] as const)('recordFault(%s, %i) sets %s bit %i', (kind, bit, register, position) => {
    const { scs } = make();
    scs.recordFault(kind, bit);
    expect(scs[register]).toBe((1 << position) >>> 0);
    const offset = { cfsr: 0xd28, hfsr: 0xd2c, dfsr: 0xd30 }[register];
    expect(scs.read(offset, 4)).toBe((1 << position) >>> 0);
  });
  it('v6-M records only DFSR (it has no CFSR/HFSR)', () => {
    const { scs } = make(M0);
    scs.recordFault('usage', UFSR_UNDEFINSTR);
    scs.recordFault('hard', HFSR_FORCED);
    scs.recordFault('debug', DFSR_BKPT);
    expect([scs.cfsr, scs.hfsr, scs.dfsr]).toEqual([0, 0, 2]);
  });
  it('ACTLR, AFSR and CPACR (no FPU) read as zero and ignore writes; AIRCR.VECTRESET and VECTCLRACTIVE do nothing (QEMU)', () => {
    const { scs, host } = make();
    for (const offset of [SCS_ACTLR, SCB_AFSR, SCB_CPACR]) {
      scs.write(offset, 0xffff_ffff, 4);
      expect(scs.read(offset, 4)).toBe(0);
    }
    scs.setPending(EXC_IRQ0);
    scs.activate(EXC_IRQ0);
    w32(scs, 0xe000ed0c, 0x05fa_0000 | AIRCR_VECTRESET | AIRCR_VECTCLRACTIVE | AIRCR_ENDIANNESS);
    expect(scs.isActive(EXC_IRQ0)).toBe(true);
    expect(host.resets).toBe(0);
    expect(r32(scs, 0xe000ed0c)).toBe(0xfa05_0000);
  });
  it('CPUID reads the value the core gives (cortex-m0plus r0p1)', () => {
    expect(make({ ...M0, cpuid: CPUID_CORTEX_M0PLUS }).scs.read(0xd00, 4)).toBe(0x410c_c601);
  });
  it('recordFault bits land where the ARMv7-M ARM puts them', () => {
    const { scs } = make();
    scs.recordFault('usage', UFSR_UNDEFINSTR);
    expect(scs.cfsr).toBe(1 << 16);
    scs.recordFault('bus', BFSR_PRECISERR);
    expect(scs.cfsr & 0xff00).toBe(0x0200); // no address: BFARVALID stays clear
    scs.recordFault('hard', HFSR_VECTTBL);
    expect(scs.hfsr).toBe(2);
    scs.recordFault('bus', BFSR_BFARVALID - 7, 0x10); // IBUSERR with an address
    expect(scs.cfsr & 0xff00).toBe(0x8300);
  });
  it('MPU registers keep what is written (8 regions, VALID selects the region, aliases), no MPU on v6-M', () => {
    const { scs } = make();
    w32(scs, 0xe000ed94, 0xffff_ffff);
    expect(r32(scs, 0xe000ed94)).toBe(7);
    w32(scs, 0xe000ed98, 3);
    w32(scs, 0xe000eda0, 0xffff_ffff);
    expect(r32(scs, 0xe000eda0)).toBe(0x173f_ff3f);
    expect(r32(scs, 0xe000edb0)).toBe(0x173f_ff3f); // RASR_A2 is RASR on v7-M
    w32(scs, 0xe000ed9c, 0xffff_ffff); // VALID with region 15: out of range, ignored
    expect(r32(scs, 0xe000ed98)).toBe(3);
    expect(r32(scs, 0xe000ed9c)).toBe(3);
    w32(scs, 0xe000ed9c, 0x2000_0015); // VALID, region 5
    expect(r32(scs, 0xe000ed98)).toBe(5);
    expect(r32(scs, 0xe000ed9c)).toBe(0x2000_0005);
    w32(scs, 0xe000eda4, 0x1000_0000); // RBAR_A1 without VALID: the current region
    expect(r32(scs, 0xe000ed9c)).toBe(0x1000_0005);
    w32(scs, 0xe000ed98, 8); // out of range: ignored
    expect(r32(scs, 0xe000ed98)).toBe(5);
    w32(scs, 0xe000ed90, 0);
    expect(r32(scs, 0xe000ed90)).toBe(0x800);
    const m0 = make(M0).scs;
    w32(m0, 0xe000ed98, 0);
    w32(m0, 0xe000eda0, 0xffff_ffff);
    expect(r32(m0, 0xe000eda0)).toBe(0);
  });
  it('word-only registers ignore byte and halfword accesses (QEMU); SysTick refuses them (BusFault); outside the page nothing answers', () => {
    const { scs } = make();
    expect(scs.read(0xd00, 1)).toBe(0);
    expect(scs.read(0xd04, 2)).toBe(0);
    expect(scs.write(0xd08, 0xff, 1)).toBe(true);
    expect(r32(scs, 0xe000ed08)).toBe(0);
    expect(scs.read(0x010, 1)).toBeUndefined();
    expect(scs.write(0x014, 1, 2)).toBe(false);
    expect(scs.read(0x1000, 4)).toBeUndefined();
    expect(scs.write(0xffe, 0, 4)).toBe(false);
    expect(scs.read(0x0f4, 4)).toBe(0);
  });
  it('ISER/ICER and ISPR/ICPR set and clear by bit, both read the state; IABR is read-only; lines beyond numIrq RAZ/WI', () => {
    const { scs, host } = make();
    const before = host.changes;
    w32(scs, 0xe000e100, 0x8000_0005);
    expect(r32(scs, 0xe000e100)).toBe(0x8000_0005);
    expect(r32(scs, 0xe000e180)).toBe(0x8000_0005);
    expect(scs.isEnabled(EXC_IRQ0 + 31)).toBe(true);
    w32(scs, 0xe000e180, 0x1);
    expect(r32(scs, 0xe000e100)).toBe(0x8000_0004);
    w32(scs, 0xe000e200, 0x6);
    expect(r32(scs, 0xe000e280)).toBe(0x6);
    w32(scs, 0xe000e280, 0x2);
    expect(r32(scs, 0xe000e200)).toBe(0x4);
    expect(host.changes).toBeGreaterThan(before);
    w32(scs, 0xe000e104, 0xffff_ffff);
    expect(r32(scs, 0xe000e104)).toBe(0);
    scs.activate(EXC_IRQ0 + 2);
    expect(r32(scs, 0xe000e300)).toBe(0x4);
    w32(scs, 0xe000e300, 0);
    expect(r32(scs, 0xe000e300)).toBe(0x4);
    // byte access: ISER byte 3 holds lines 24..31
    scs.write(0x103, 0x01, 1);
    expect(scs.isEnabled(EXC_IRQ0 + 24)).toBe(true);
    expect(scs.read(0x103, 1)).toBe(0x81);
  });
  it('ICSR: PENDSVSET/CLR, PENDSTSET/CLR, NMIPENDSET, VECTPENDING, ISRPENDING, RETTOBASE, VECTACTIVE', () => {
    const { scs, host } = make();
    w32(scs, 0xe000ed04, 1 << 28);
    expect(scs.isPending(EXC_PENDSV)).toBe(true);
    expect(r32(scs, 0xe000ed04)).toBe(0x1000_e800);
    w32(scs, 0xe000ed04, 1 << 27);
    expect(scs.isPending(EXC_PENDSV)).toBe(false);
    w32(scs, 0xe000ed04, 1 << 26);
    expect(scs.isPending(EXC_SYSTICK)).toBe(true);
    expect(r32(scs, 0xe000ed04)! & (1 << 26)).not.toBe(0);
    w32(scs, 0xe000ed04, 1 << 25);
    expect(scs.isPending(EXC_SYSTICK)).toBe(false);
    // a pending but disabled IRQ: ISRPENDING, not VECTPENDING
    w32(scs, 0xe000e200, 0x5);
    expect(r32(scs, 0xe000ed04)).toBe(0x0040_0800);
    w32(scs, 0xe000e100, 0x5);
    expect(r32(scs, 0xe000ed04)).toBe(0x0041_0800);
    w32(scs, 0xe000ed04, 1 << 31);
    expect(scs.isPending(EXC_NMI)).toBe(true);
    expect(r32(scs, 0xe000ed04)).toBe(0x8040_2800); // VECTPENDING = 2
    // two active: RETTOBASE clear; VECTACTIVE comes from the core's IPSR
    scs.activate(EXC_NMI);
    scs.activate(EXC_IRQ0);
    host.exception = EXC_IRQ0;
    expect(r32(scs, 0xe000ed04)).toBe(0x0041_2010);
  });
  it('STIR pends an external interrupt; beyond numIrq it does nothing; v6-M has no STIR; unprivileged only with USERSETMPEND', () => {
    const { scs } = make();
    w32(scs, 0xe000ef00, 7);
    expect(scs.isPending(EXC_IRQ0 + 7)).toBe(true);
    w32(scs, 0xe000ef00, 40);
    expect(r32(scs, 0xe000e204)).toBe(0);
    expect(scs.unprivilegedAccessAllowed(0xf00)).toBe(false);
    w32(scs, 0xe000ed14, 0x202);
    expect(scs.unprivilegedAccessAllowed(0xf00)).toBe(true);
    expect(scs.unprivilegedAccessAllowed(0xd04)).toBe(false);
    const m0 = make(M0).scs;
    w32(m0, 0xe000ef00, 1);
    expect(m0.isPending(EXC_IRQ0 + 1)).toBe(false);
  });
});

describe('SCS exception arbitration', () => {
  it('the lowest priority value wins, then the lowest exception number; only enabled ones; only below the execution priority', () => {
    const { scs } = make();
    w32(scs, 0xe000e100, 0xf);
    scs.write(0x400, 0x80, 1); // IRQ0
    scs.write(0x401, 0x40, 1); // IRQ1
    scs.write(0x402, 0x40, 1); // IRQ2
    scs.setPending(EXC_IRQ0);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(EXC_IRQ0);
    scs.setPending(EXC_IRQ0 + 2);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(EXC_IRQ0 + 2);
    scs.setPending(EXC_IRQ0 + 1);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(EXC_IRQ0 + 1);
    expect(scs.pendingException(0x41)).toBe(EXC_IRQ0 + 1);
    expect(scs.pendingException(0x40)).toBe(0); // equal priority never preempts
    scs.setPending(EXC_IRQ0 + 5); // disabled
    scs.write(0x405, 0, 1);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(EXC_IRQ0 + 1);
    // NMI and HardFault beat everything
    scs.setPending(EXC_NMI);
    expect(scs.pendingException(0)).toBe(EXC_NMI);
    expect(scs.pendingException(-1)).toBe(EXC_NMI);
    expect(scs.pendingException(-2)).toBe(0);
  });
  it('PRIGROUP: subpriority orders pending exceptions but does not preempt', () => {
    const { scs } = make();
    w32(scs, 0xe000ed0c, 0x05fa_0500); // PRIGROUP 5: group [7:6], subpriority [5:0]
    expect(scs.groupPriority(0x7f)).toBe(0x40);
    expect(scs.groupPriority(0xff)).toBe(0xc0);
    expect(scs.groupPriority(-1)).toBe(-1);
    w32(scs, 0xe000e100, 0x3);
    scs.write(0x400, 0x50, 1);
    scs.write(0x401, 0x48, 1);
    scs.setPending(EXC_IRQ0);
    scs.setPending(EXC_IRQ0 + 1);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(EXC_IRQ0 + 1); // lower subpriority first
    scs.activate(EXC_IRQ0 + 1);
    expect(scs.activePriority()).toBe(0x40);
    expect(scs.pendingException(scs.activePriority())).toBe(0); // same group: no preemption
    scs.deactivate(EXC_IRQ0 + 1);
    expect(scs.pendingException(scs.executionPriority(false, false, 0))).toBe(EXC_IRQ0);
    // PRIGROUP 0: group [7:1]
    w32(scs, 0xe000ed0c, 0x05fa_0000);
    expect(scs.groupPriority(0xff)).toBe(0xfe);
  });
  it('executionPriority: active exceptions, BASEPRI (group), PRIMASK, FAULTMASK', () => {
    const { scs } = make();
    expect(scs.executionPriority(false, false, 0)).toBe(NO_EXCEPTION_PRIORITY);
    expect(scs.executionPriority(false, false, 0x60)).toBe(0x60);
    expect(scs.executionPriority(true, false, 0x60)).toBe(0);
    expect(scs.executionPriority(true, true, 0x60)).toBe(-1);
    scs.write(0x400, 0x20, 1);
    scs.activate(EXC_IRQ0);
    expect(scs.executionPriority(false, false, 0x60)).toBe(0x20);
    scs.activate(EXC_HARDFAULT);
    expect(scs.executionPriority(false, false, 0)).toBe(-1);
  });
  it('activate and deactivate move pending → active → inactive; activeCount counts nesting', () => {
    const { scs } = make();
    scs.setPending(EXC_SVCALL);
    scs.activate(EXC_SVCALL);
    expect(scs.isPending(EXC_SVCALL)).toBe(false);
    expect(scs.isActive(EXC_SVCALL)).toBe(true);
    scs.activate(EXC_NMI);
    expect(scs.activeCount()).toBe(2);
    scs.deactivate(EXC_NMI);
    scs.deactivate(EXC_SVCALL);
    expect(scs.activeCount()).toBe(0);
  });
  it('external lines are level-sensitive: a rising edge pends; a line still high pends again when its handler returns', () => {
    const { scs, host } = make();
    const irq = EXC_IRQ0 + 4;
    scs.write(0x100, 1 << 4, 4);
    const before = host.changes;
    scs.setIrqLevel(4, true);
    expect(host.changes).toBe(before + 1);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(irq);
    scs.setIrqLevel(4, true); // no edge: no change
    expect(host.changes).toBe(before + 1);
    scs.activate(irq);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(0);
    scs.deactivate(irq); // still high
    expect(scs.isPending(irq)).toBe(true);
    scs.activate(irq);
    scs.setIrqLevel(4, false);
    scs.deactivate(irq);
    expect(scs.isPending(irq)).toBe(false);
    // a pulse while disabled stays pending until cleared
    scs.write(0x180, 1 << 4, 4);
    scs.setIrqLevel(4, true);
    scs.setIrqLevel(4, false);
    expect(scs.isPending(irq)).toBe(true);
    expect(scs.pendingException(NO_EXCEPTION_PRIORITY)).toBe(0);
    expect(() => scs.setIrqLevel(32, true)).toThrow(/IRQ line 32 does not exist.*0\.\.31/);
  });
  it('NMI pends on a high level', () => {
    const { scs } = make();
    scs.setNmi(false);
    expect(scs.isPending(EXC_NMI)).toBe(false);
    scs.setNmi(true);
    expect(scs.pendingException(-1)).toBe(EXC_NMI);
  });
  it('raiseFault: an enabled fault that preempts is pended; a disabled one or one that cannot preempt escalates to HardFault (HFSR.FORCED); at -1 it locks up', () => {
    const { scs } = make();
    expect(scs.raiseFault(EXC_USAGEFAULT, NO_EXCEPTION_PRIORITY)).toBe(EXC_HARDFAULT);
    expect(scs.hfsr).toBe(1 << HFSR_FORCED);
    scs.clearPending(EXC_HARDFAULT);
    w32(scs, 0xe000ed2c, 0xffff_ffff);
    w32(scs, 0xe000ed24, 0x0004_0000); // USGFAULTENA
    scs.write(0xd1a, 0x40, 1); // UsageFault priority 0x40
    expect(scs.raiseFault(EXC_USAGEFAULT, NO_EXCEPTION_PRIORITY)).toBe(EXC_USAGEFAULT);
    expect(scs.hfsr).toBe(0);
    scs.clearPending(EXC_USAGEFAULT);
    expect(scs.raiseFault(EXC_USAGEFAULT, 0x40)).toBe(EXC_HARDFAULT);
    scs.clearPending(EXC_HARDFAULT);
    expect(scs.raiseFault(EXC_SVCALL, 0)).toBe(EXC_HARDFAULT); // SVC with PRIMASK set
    scs.clearPending(EXC_HARDFAULT);
    expect(scs.raiseFault(EXC_USAGEFAULT, -1)).toBe(0);
    expect(scs.raiseFault(EXC_HARDFAULT, -1)).toBe(0);
    expect(scs.isPending(EXC_HARDFAULT)).toBe(false);
  });
  it('raiseFault on v6-M: every fault is a HardFault; SVCall stays SVCall when it can preempt', () => {
    const { scs } = make(M0);
    expect(scs.raiseFault(EXC_BUSFAULT, NO_EXCEPTION_PRIORITY)).toBe(EXC_HARDFAULT);
    scs.clearPending(EXC_HARDFAULT);
    expect(scs.raiseFault(EXC_SVCALL, NO_EXCEPTION_PRIORITY)).toBe(EXC_SVCALL);
    expect(scs.hfsr).toBe(0);
  });
  it('exceptionStateChanged follows every change of pending, enabled, priority or active state', () => {
    const { scs, host } = make();
    let last = host.changes;
    const changed = () => {
      const was = last;
      last = host.changes;
      return host.changes > was;
    };
    scs.setPending(EXC_PENDSV);
    expect(changed()).toBe(true);
    scs.setPending(EXC_PENDSV);
    expect(changed()).toBe(false);
    scs.write(0x100, 1, 4);
    expect(changed()).toBe(true);
    scs.write(0x400, 0x10, 1);
    expect(changed()).toBe(true);
    scs.write(0xd20, 0x10_0000, 4);
    expect(changed()).toBe(true);
    scs.activate(EXC_PENDSV);
    expect(changed()).toBe(true);
    scs.deactivate(EXC_PENDSV);
    expect(changed()).toBe(true);
    w32(scs, 0xe000ed0c, 0x05fa_0300);
    expect(changed()).toBe(true);
  });
});

describe('SCS state', () => {
  function busy(): { scs: SystemControlSpace; host: FakeHost } {
    const made = make();
    const { scs, host } = made;
    w32(scs, 0xe000ed08, 0x2000_0000);
    w32(scs, 0xe000ed0c, 0x05fa_0400);
    w32(scs, 0xe000ed14, 0x21a);
    w32(scs, 0xe000ed10, 0x12);
    w32(scs, 0xe000e100, 0x0000_00ff);
    scs.write(0x403, 0x60, 1);
    scs.write(0xd22, 0x80, 1);
    scs.setIrqLevel(3, true);
    scs.setPending(EXC_PENDSV);
    scs.activate(EXC_SVCALL);
    scs.recordFault('bus', BFSR_PRECISERR, 0x4000_1000);
    w32(scs, 0xe000ed98, 2);
    w32(scs, 0xe000eda0, 0x0302_0011);
    host.now = 1000;
    w32(scs, 0xe000e014, 999);
    w32(scs, 0xe000e010, 0x7);
    host.now = 1000 + 40 * 1500; // 1500 ticks of 40 ns: one wrap, CVR = 999 - 499
    return made;
  }
  it('save → JSON → load gives a copy that reads the same and arbitrates the same', () => {
    const { scs, host } = busy();
    const saved = JSON.parse(JSON.stringify(saveState(scs))) as SavedState;
    const copyHost = new FakeHost();
    copyHost.now = host.now;
    const copy = new SystemControlSpace(M3, copyHost);
    loadState(copy, saved);
    for (const offset of [0x18, 0x14, 0xd04, 0xd08, 0xd0c, 0xd10, 0xd14, 0xd20, 0xd24, 0xd28, 0xd38, 0xd98, 0xda0, 0x100, 0x200, 0x300, 0x400, 0x10]) {
      expect(copy.read(offset, 4), `offset 0x${offset.toString(16)}`).toBe(scs.read(offset, 4));
    }
    expect(copy.pendingException(copy.activePriority())).toBe(scs.pendingException(scs.activePriority()));
    // SysTick wrapped with TICKINT (priority 0) ahead of IRQ 3 (0x60)
    expect(copy.pendingException(NO_EXCEPTION_PRIORITY)).toBe(EXC_SYSTICK);
    expect(copy.isPending(EXC_IRQ0 + 3)).toBe(true);
    expect(copy.read(0x18, 4)).toBe(999 - 499);
    expect(copyHost.scheduled).toBe(host.scheduled);
    // the line is still high in the copy: its handler's return pends it again
    copy.activate(EXC_IRQ0 + 3);
    copy.deactivate(EXC_IRQ0 + 3);
    expect(copy.isPending(EXC_IRQ0 + 3)).toBe(true);
  });
  it('refuses priorities with bits the core does not implement, naming the field', () => {
    const { scs } = busy();
    const saved = saveState(scs);
    const m0 = new SystemControlSpace(M0, new FakeHost());
    const m0Saved = saveState(m0);
    (m0Saved.fields.priorities as number[])[EXC_IRQ0] = 0x60;
    expect(() => loadState(m0, m0Saved)).toThrow(StateError);
    expect(() => loadState(m0, m0Saved)).toThrow(/priorities\[16\] = 0x60/);
    // a saved state for another IRQ count does not fit
    expect(() => loadState(new SystemControlSpace({ ...M3, numIrq: 64 }, new FakeHost()), saved)).toThrow(/exactly 80 elements/);
  });
});
