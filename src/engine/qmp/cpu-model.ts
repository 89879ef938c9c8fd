// CPU models for RISC-V: a model is a CPU type with its ISA extensions as boolean properties
// (m, a, c, s, u of riscv-cpu in the catalog). QEMU defines expansion, comparison and baselining of
// CPU models for s390x and x86; here they are defined for RISC-V:
//
//   static expansion  the fixed base model "rv32i" (RV32I with Zicsr and Zifencei, no optional
//                     extension) plus the extensions the model enables: the same answer in every
//                     BoardLab version, whatever the catalog's defaults become.
//   full expansion    the model as named, every extension explicit (true or false).
//   comparison        by the sets of enabled extensions: identical, superset (A has all of B and
//                     more: software for B runs on A), subset, or incompatible; the responsible
//                     properties are the extensions that differ.
//   baseline          the extensions both models have, as a static model: what runs on both.
//
// Extension "s" (supervisor mode) needs "u" (user mode); a model asking for s without u is refused.
import { effectiveType, isA, type PropertySpec } from '../../graph/index.ts';
import { isJsonObject, type JsonValue } from './json.ts';
import { genericError } from './qapi.ts';

/** The static base model: no optional extension. */
export const STATIC_BASE_MODEL = 'rv32i';

export interface CpuModelInfo {
  name: string;
  props?: Record<string, boolean>;
}

export type CpuModelCompareResult = 'incompatible' | 'identical' | 'superset' | 'subset';

/** The ISA extension properties of RISC-V CPU types: single-letter booleans of riscv-cpu. */
export function isaExtensions(): PropertySpec[] {
  return (effectiveType('riscv-cpu')?.props ?? []).filter((p) => p.kind === 'bool' && /^[a-z]$/.test(p.name));
}

/** The extensions a model enables, by name, after its props are applied. */
function modelExtensions(model: { name: string; props?: JsonValue }): Map<string, boolean> {
  const extensions = isaExtensions();
  const values = new Map<string, boolean>();
  if (model.name === STATIC_BASE_MODEL) {
    for (const spec of extensions) values.set(spec.name, false);
  } else {
    const type = effectiveType(model.name);
    if (type === undefined || !isA(model.name, 'riscv-cpu')) throw genericError(`The CPU type '${model.name}' is not a recognized RISC-V CPU type`);
    if (type.abstract) throw genericError(`The CPU type '${model.name}' is abstract`);
    for (const spec of extensions) values.set(spec.name, type.props.find((p) => p.name === spec.name)?.default === true);
  }
  if (model.props !== undefined) {
    if (!isJsonObject(model.props)) throw genericError("Invalid parameter type for 'props', expected: dict");
    for (const [name, value] of Object.entries(model.props)) {
      if (!values.has(name)) throw genericError(`Property '${model.name}.${name}' not found`);
      if (typeof value !== 'boolean') throw genericError(`Invalid parameter type for '${name}', expected: boolean`);
      values.set(name, value);
    }
  }
  if (values.get('s') === true && values.get('u') === false) throw genericError(`CPU model ${model.name}: extension 's' (supervisor mode) needs extension 'u' (user mode)`);
  return values;
}

function staticModel(values: Map<string, boolean>): CpuModelInfo {
  const props: Record<string, boolean> = {};
  for (const [name, on] of values) if (on) props[name] = true;
  return { name: STATIC_BASE_MODEL, props };
}

/** query-cpu-model-expansion. */
export function expandCpuModel(type: 'static' | 'full', model: { name: string; props?: JsonValue }): { model: CpuModelInfo } {
  const values = modelExtensions(model);
  if (type === 'static') return { model: staticModel(values) };
  return { model: { name: model.name, props: Object.fromEntries(values) } };
}

/** query-cpu-model-comparison. */
export function compareCpuModels(a: { name: string; props?: JsonValue }, b: { name: string; props?: JsonValue }): { result: CpuModelCompareResult; 'responsible-properties': string[] } {
  const va = modelExtensions(a);
  const vb = modelExtensions(b);
  const onlyA = [...va].filter(([name, on]) => on && !vb.get(name)).map(([name]) => name);
  const onlyB = [...vb].filter(([name, on]) => on && !va.get(name)).map(([name]) => name);
  const differing = isaExtensions().map((e) => e.name).filter((name) => onlyA.includes(name) || onlyB.includes(name));
  const result: CpuModelCompareResult = differing.length === 0 ? 'identical' : onlyB.length === 0 ? 'superset' : onlyA.length === 0 ? 'subset' : 'incompatible';
  return { result, 'responsible-properties': differing };
}

/** query-cpu-model-baseline: the extensions both models enable, as a static model. */
export function baselineCpuModels(a: { name: string; props?: JsonValue }, b: { name: string; props?: JsonValue }): { model: CpuModelInfo } {
  const va = modelExtensions(a);
  const vb = modelExtensions(b);
  const common = new Map([...va].map(([name, on]) => [name, on && vb.get(name) === true]));
  return { model: staticModel(common) };
}

