// CPU models, as QEMU's query-cpu-model-* commands see them. Each architecture's abstract CPU type
// in the catalog declares its scheme (CpuModelScheme: the static base model, its optional
// extensions, which extension needs which); a model is a CPU type of that architecture with its
// extensions as boolean properties. An extension is either a property of the type (RISC-V's m, a,
// c…, the Cortex-M3's bitband: a model may switch it) or fixed by the core (TypeSpec.cpuFeatures:
// ARM's thumb2, hwdiv…: a model may name it only with the core's value). RISC-V's base is "rv32i"
// (s needs u, d needs f); ARM's is "armv6-m" with the ARMv7-M features over it (QEMU 7.2 lists no
// properties for its M-profile models: BoardLab's answer says more, docs/qmp.md). QEMU defines
// expansion, comparison and baselining for s390x and x86; here they are defined for every
// architecture with a scheme:
//
//   static expansion  the architecture's fixed base model (RV32I with Zicsr and Zifencei, no
//                     optional extension) plus the extensions the model enables: the same answer
//                     in every BoardLab version, whatever the catalog's defaults become.
//   full expansion    the model as named, every extension explicit (true or false).
//   comparison        by the sets of enabled extensions: identical, superset (A has all of B and
//                     more: software for B runs on A), subset, or incompatible (also: two
//                     architectures); the responsible properties are the extensions that differ.
//   baseline          the extensions both models have, as a static model: what runs on both.
import { effectiveType, isA, listTypes, type CpuModelScheme } from '../../graph/index.ts';
import { isJsonObject, type JsonValue } from './json.ts';
import { genericError } from './qapi.ts';

export interface CpuModelInfo {
  name: string;
  props?: Record<string, boolean>;
}

export type CpuModelCompareResult = 'incompatible' | 'identical' | 'superset' | 'subset';

/** A model resolved: its architecture's scheme and every extension's value. */
interface ModelExtensions {
  scheme: CpuModelScheme;
  values: Map<string, boolean>;
}

/** The CPU model schemes of the catalog: the architectures' abstract CPU types that declare one. */
function schemes(): CpuModelScheme[] {
  return listTypes({ parent: 'cpu' }).flatMap((t) => (t.cpuModel === undefined ? [] : [t.cpuModel]));
}

/** The scheme of a CPU type: the one its nearest ancestor (or itself) declares. */
function schemeOf(typeName: string): CpuModelScheme | undefined {
  const type = effectiveType(typeName);
  if (type === undefined || !isA(typeName, 'cpu')) return undefined;
  for (const name of [type.name, ...type.ancestors]) {
    const scheme = effectiveType(name)?.cpuModel;
    if (scheme !== undefined) return scheme;
  }
  return undefined;
}

/** The extensions a model enables, by name, after its props are applied. */
function modelExtensions(model: { name: string; props?: JsonValue }): ModelExtensions {
  const values = new Map<string, boolean>();
  /** Extensions the CPU type fixes (not properties of it). */
  const fixed = new Set<string>();
  let scheme = schemes().find((s) => s.staticBase !== undefined && s.staticBase === model.name);
  if (scheme !== undefined) {
    for (const name of scheme.extensions) values.set(name, false);
  } else {
    scheme = schemeOf(model.name);
    const type = effectiveType(model.name);
    if (scheme === undefined || type === undefined) throw genericError(`The CPU type '${model.name}' is not a recognized CPU type`);
    if (type.abstract) throw genericError(`The CPU type '${model.name}' is abstract`);
    for (const name of scheme.extensions) {
      const property = type.props.find((p) => p.name === name);
      if (property === undefined) fixed.add(name);
      values.set(name, property === undefined ? type.cpuFeatures?.includes(name) === true : property.default === true);
    }
  }
  if (model.props !== undefined) {
    if (!isJsonObject(model.props)) throw genericError("Invalid parameter type for 'props', expected: dict");
    for (const [name, value] of Object.entries(model.props)) {
      if (!values.has(name)) throw genericError(`Property '${model.name}.${name}' not found`);
      if (typeof value !== 'boolean') throw genericError(`Invalid parameter type for '${name}', expected: boolean`);
      if (fixed.has(name) && value !== values.get(name)) {
        throw genericError(`CPU model ${model.name}: '${name}' is fixed by the core (${model.name} ${values.get(name) ? 'has' : 'lacks'} it); name the static model '${scheme.staticBase ?? model.name}' to describe other features`);
      }
      values.set(name, value);
    }
  }
  for (const [extension, needed] of Object.entries(scheme.requires ?? {})) {
    if (values.get(extension) === true && values.get(needed) === false) throw genericError(`CPU model ${model.name}: extension '${extension}' needs extension '${needed}'`);
  }
  return { scheme, values };
}

function staticModel({ scheme, values }: ModelExtensions): CpuModelInfo {
  if (scheme.staticBase === undefined) throw genericError('The requested expansion type is not supported');
  const props: Record<string, boolean> = {};
  for (const [name, on] of values) if (on) props[name] = true;
  return { name: scheme.staticBase, props };
}

/** A scheme without a static form has nothing to compare models by (QEMU has no comparison for them). */
function comparable(a: { name: string }, scheme: CpuModelScheme): void {
  if (scheme.staticBase === undefined) throw genericError(`CPU model ${a.name} cannot be compared or baselined: its architecture's models have no optional extensions to compare`);
}

/** query-cpu-model-expansion. */
export function expandCpuModel(type: 'static' | 'full', model: { name: string; props?: JsonValue }): { model: CpuModelInfo } {
  const extensions = modelExtensions(model);
  if (type === 'static') return { model: staticModel(extensions) };
  // Without extensions, QEMU leaves props out (ARM's M-profile models).
  if (extensions.values.size === 0) return { model: { name: model.name } };
  return { model: { name: model.name, props: Object.fromEntries(extensions.values) } };
}

/** query-cpu-model-comparison. */
export function compareCpuModels(a: { name: string; props?: JsonValue }, b: { name: string; props?: JsonValue }): { result: CpuModelCompareResult; 'responsible-properties': string[] } {
  const ma = modelExtensions(a);
  const mb = modelExtensions(b);
  if (ma.scheme !== mb.scheme) return { result: 'incompatible', 'responsible-properties': [] };
  comparable(a, ma.scheme);
  const va = ma.values;
  const vb = mb.values;
  const onlyA = [...va].filter(([name, on]) => on && !vb.get(name)).map(([name]) => name);
  const onlyB = [...vb].filter(([name, on]) => on && !va.get(name)).map(([name]) => name);
  const differing = ma.scheme.extensions.filter((name) => onlyA.includes(name) || onlyB.includes(name));
  const result: CpuModelCompareResult = differing.length === 0 ? 'identical' : onlyB.length === 0 ? 'superset' : onlyA.length === 0 ? 'subset' : 'incompatible';
  return { result, 'responsible-properties': differing };
}

/** query-cpu-model-baseline: the extensions both models enable, as a static model. */
export function baselineCpuModels(a: { name: string; props?: JsonValue }, b: { name: string; props?: JsonValue }): { model: CpuModelInfo } {
  const ma = modelExtensions(a);
  const mb = modelExtensions(b);
  if (ma.scheme !== mb.scheme) throw genericError(`CPU models ${a.name} and ${b.name} are of different architectures: they have no baseline`);
  comparable(a, ma.scheme);
  const common = new Map([...ma.values].map(([name, on]) => [name, on && mb.values.get(name) === true]));
  return { model: staticModel({ scheme: ma.scheme, values: common }) };
}

