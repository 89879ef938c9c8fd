// Every feature query-cpu-model-expansion reports for an ARM Cortex-M model is what its core does:
// each CPU type of the catalog is built by its engine factory (engine/cpu/arm) with the catalog's
// defaults and runs one probe per feature; the probe works exactly when the model lists the
// feature as true (an M3 divides; on an M0 the same UDIV is UNDEFINED and takes a HardFault).
import { describe, expect, it } from 'vitest';
import { effectiveType, listTypes } from '../../graph/index.ts';
import { AddressSpace } from '../memory.ts';
import * as A from '../cpu/arm/asm.ts';
import { cpus } from '../cpu/arm/index.ts';
import { expandCpuModel } from './cpu-model.ts';

const SRAM = 0x2000_0000;
const CODE = 0x200;
const DATA = SRAM + 0x100;
const SHCSR = 0xe000_ed24;
const SHCSR_USGFAULTENA = 1 << 18;
const USAGE_FAULT = 6;
/** The bit-band alias of bit `bit` of the word at `address` (SRAM region). */
const bitbandAlias = (address: number, bit: number) => 0x2200_0000 + (address - SRAM) * 32 + bit * 4;

interface Probe {
  /** The program: ends at `done` when the feature works (or at `usage`, the UsageFault handler). */
  build(p: A.Program): void;
  /** Where it must end, with which registers, when the core has the feature. */
  works(end: string, r: Int32Array): boolean;
}

const PROBES: Record<string, Probe> = {
  thumb2: { build: (p) => p.i(A.movw(0, 0x1234)), works: (end, r) => end === 'done' && r[0] === 0x1234 },
  hwdiv: { build: (p) => p.i(A.movs(1, 100), A.movs(2, 7), A.udiv(0, 1, 2)), works: (end, r) => end === 'done' && r[0] === 14 },
  exclusives: { build: (p) => p.ldrLit(1, 'data').i(A.movs(2, 5), A.strImm(2, 1, 0), A.ldrex(0, 1)), works: (end, r) => end === 'done' && r[0] === 5 },
  basepri: { build: (p) => p.i(A.movs(0, 0x40), A.msr(A.SYSm.BASEPRI, 0), A.mrs(1, A.SYSm.BASEPRI)), works: (end, r) => end === 'done' && r[1] === 0x40 },
  'fault-handlers': { build: (p) => p.ldrLit(1, 'shcsr').ldrLit(2, 'usgfaultena').i(A.strImm(2, 1, 0), A.udf(0)), works: (end) => end === 'usage' },
  unaligned: { build: (p) => p.ldrLit(1, 'unaligned').i(A.ldrImm(0, 1, 0)), works: (end) => end === 'done' },
  bitband: { build: (p) => p.ldrLit(1, 'alias').i(A.movs(0, 1), A.strImm(0, 1, 0)).ldrLit(2, 'data').i(A.ldrImm(3, 2, 0)), works: (end, r) => end === 'done' && r[3] === 8 },
};

/** Run `probe` on a fresh core of catalog type `model`: where it ended, and its registers. */
function runProbe(model: string, probe: Probe): { end: string; r: Int32Array } {
  const space = new AddressSpace('probe');
  space.mapRam('flash', 0, new ArrayBuffer(0x1_0000), 0x1_0000);
  space.mapRam('sram', SRAM, new ArrayBuffer(0x1_0000), 0x1_0000);
  const p = new A.Program(CODE);
  p.label('start');
  probe.build(p);
  p.label('done').b('done');
  p.label('hard').b('hard');
  p.label('usage').b('usage');
  p.word(DATA, 'data').word(SHCSR, 'shcsr').word(SHCSR_USGFAULTENA, 'usgfaultena').word(DATA + 1, 'unaligned').word(bitbandAlias(DATA, 3), 'alias');
  space.writeBytes(CODE, p.bytes());
  const vectors = new DataView(new ArrayBuffer(4 * 48));
  vectors.setUint32(0, SRAM + 0x1_0000, true);
  for (let e = 1; e < 48; e++) vectors.setUint32(4 * e, (p.address(e === 1 ? 'start' : e === USAGE_FAULT ? 'usage' : 'hard') | 1) >>> 0, true);
  space.writeBytes(0, new Uint8Array(vectors.buffer));
  const core = cpus[model]({ path: '/machine/cpu0', props: {}, space });
  core.reset();
  core.run(200);
  const end = ['done', 'hard', 'usage'].find((label) => p.address(label) === core.pc);
  if (end === undefined) throw new Error(`${model}: the probe ended at 0x${core.pc.toString(16)}`);
  return { end, r: Int32Array.from({ length: 15 }, (_, i) => core.debug.readRegister(i) ?? 0) };
}

const armModels = listTypes({ parent: 'cpu' }).filter((t) => !t.abstract && t.ancestors.includes('arm-cpu')).map((t) => t.name);

describe('ARM CPU model features', () => {
  it('covers every Cortex-M type of the catalog, and a probe for every feature of the scheme', () => {
    expect(armModels.sort()).toEqual(['cortex-m0', 'cortex-m0plus', 'cortex-m3']);
    expect(Object.keys(PROBES).sort()).toEqual([...(effectiveType('arm-cpu')?.cpuModel?.extensions ?? [])].sort());
  });

  describe.each(armModels)('%s', (model) => {
    const { props } = expandCpuModel('full', { name: model }).model;
    it.each(Object.keys(PROBES))('%s: the probe works exactly when the model reports the feature', (feature) => {
      expect(props?.[feature], `${model} reports ${feature}`).toBeTypeOf('boolean');
      const { end, r } = runProbe(model, PROBES[feature]);
      expect(PROBES[feature].works(end, r), `${feature} probe on ${model}: ended at ${end}`).toBe(props?.[feature]);
      // a core without the feature takes the fault the hardware takes, not something else
      if (props?.[feature] === false && feature !== 'basepri') expect(end).toBe('hard');
    });
  });

  it('reports the features each core has: the Cortex-M3 all of ARMv7-M, the M0 and M0+ none', () => {
    expect(Object.values(expandCpuModel('full', { name: 'cortex-m3' }).model.props ?? {}).every(Boolean)).toBe(true);
    expect(Object.values(expandCpuModel('full', { name: 'cortex-m0' }).model.props ?? {}).some(Boolean)).toBe(false);
  });
});
