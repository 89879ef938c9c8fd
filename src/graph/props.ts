// Stage 3 of resolution: property values from layers, lowest first —
//   type default < platform < machine-version compat < user globals (by type, subtypes too) < explicit
// — parsed by kind and range-checked, each remembering which layer set it.
import type { AssembledProp } from './assemble.ts';
import { evaluateInteger, type ExpandedObject } from './expand.ts';
import { effectiveType, type EffectiveType, type PropertySpec } from './catalog.ts';
import type { MachineTypeSpec } from './machines.ts';
import { machineTypeId } from './machines.ts';
import { platformId, type PlatformSpec } from './platforms.ts';
import { pointerOf, suggestion, type BoardProblem } from './problems.ts';
import type { PropertyValueDocument } from './schema.ts';
import { formatSize, hex, parseFrequency } from './values.ts';
import { relativePath } from './references.ts';

export type PropertyValue = number | string | boolean | null;

export type PropertyLayer = 'default' | 'platform' | 'compat' | 'global' | 'explicit';

export interface PropertyOrigin {
  layer: PropertyLayer;
  /** Who set it: "rv32", "platform browser@1", "riscv-virt@1.0", "/globals/ns16550a", "riscv-virt@1.1", "board". */
  source: string;
  /** Pointer of the value in the user's document, when it is there. */
  pointer?: string;
}

export interface LayerContext {
  platform: PlatformSpec;
  machineType: MachineTypeSpec | undefined;
  globals: Record<string, Record<string, AssembledProp>>;
}

/** Apply a per-type layer: entries for ancestors first, so the most specific type wins. */
function applyTypeLayer(
  typeName: string,
  layer: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  apply: (typeKey: string, prop: string, value: unknown) => void,
): void {
  const t = effectiveType(typeName);
  if (t === undefined) return;
  const order = [...t.ancestors].reverse().concat(t.name);
  for (const typeKey of order) {
    for (const [prop, value] of Object.entries(layer[typeKey] ?? {})) apply(typeKey, prop, value);
  }
  for (const iface of t.interfaces) for (const [prop, value] of Object.entries(layer[iface] ?? {})) apply(iface, prop, value);
}

export function parsePropertyValue(spec: PropertySpec, value: PropertyValueDocument, env: Readonly<Record<string, number>>): { value: PropertyValue } | { error: string } {
  switch (spec.kind) {
    case 'bool':
      if (typeof value === 'boolean') return { value };
      if (value === 'on' || value === 'true') return { value: true };
      if (value === 'off' || value === 'false') return { value: false };
      return { error: 'true or false' };
    case 'string':
      return typeof value === 'string' ? { value } : { error: 'a string' };
    case 'enum':
      return typeof value === 'string' && spec.values?.includes(value) ? { value } : { error: `one of ${spec.values?.map((v) => `"${v}"`).join(', ')}` };
    case 'link':
      return value === null || typeof value === 'string' ? { value } : { error: 'an object path such as "plic", or null' };
    default: {
      if (value === null || typeof value === 'boolean') return { error: describeExpected(spec) };
      let n: number | undefined;
      try {
        n = spec.kind === 'frequency' ? (parseFrequency(value) ?? evaluateInteger(value, env)) : evaluateInteger(value, env);
      } catch {
        return { error: describeExpected(spec) };
      }
      const min = spec.min ?? (spec.kind === 'int' ? Number.MIN_SAFE_INTEGER : 0);
      const max = spec.max ?? (spec.kind === 'address' ? 0xffffffff : Number.MAX_SAFE_INTEGER);
      if (n < min || n > max) {
        const show = spec.kind === 'size' ? formatSize : spec.kind === 'address' ? (x: number) => hex(x) : String;
        return { error: `${show(min)} to ${show(max)}${spec.unit ? ` ${spec.unit}` : ''}, not ${show(n)}` };
      }
      return { value: n };
    }
  }
}

function describeExpected(spec: PropertySpec): string {
  switch (spec.kind) {
    case 'size':
      return 'a size such as 4096, "64K" or "128M"';
    case 'frequency':
      return 'a frequency such as 10000000 or "10 MHz"';
    case 'address':
      return 'an address such as "0x80000000"';
    default:
      return 'an integer such as 42 or "0x10"';
  }
}

export interface ResolvedProps {
  props: Record<string, PropertyValue>;
  origins: Record<string, PropertyOrigin>;
}

/** Final property values of a catalog-typed object, with where each came from. */
export function layerProps(object: ExpandedObject, type: EffectiveType, context: LayerContext, problems: BoardProblem[]): ResolvedProps {
  const props: Record<string, PropertyValue> = {};
  const origins: Record<string, PropertyOrigin> = {};
  const byName = new Map(type.props.map((p) => [p.name, p]));
  for (const spec of type.props) {
    props[spec.name] = spec.default;
    origins[spec.name] = { layer: 'default', source: type.name };
  }
  const set = (prop: string, value: PropertyValueDocument, origin: PropertyOrigin, where: string | undefined) => {
    const spec = byName.get(prop);
    if (spec === undefined) {
      if (where !== undefined) problems.push(noSuchPropertyProblem(type, prop, where));
      return;
    }
    const parsed = parsePropertyValue(spec, value, object.env);
    if ('error' in parsed) {
      problems.push({
        pointer: where ?? origin.pointer ?? '',
        message: `property "${prop}" of ${relativePath(object.path)} must be ${parsed.error}${where === undefined ? ` (set by ${origin.source})` : ''}`,
        hint: spec.doc,
      });
      return;
    }
    props[prop] = parsed.value;
    origins[prop] = origin;
  };

  const platform = `platform ${platformId(context.platform)}`;
  applyTypeLayer(object.type, context.platform.defaults, (_t, prop, value) => set(prop, value as PropertyValueDocument, { layer: 'platform', source: platform }, undefined));
  if (context.machineType) {
    const id = machineTypeId(context.machineType);
    applyTypeLayer(object.type, context.machineType.compat, (_t, prop, value) => set(prop, value as PropertyValueDocument, { layer: 'compat', source: id }, undefined));
  }
  applyTypeLayer(object.type, context.globals, (typeKey, prop, value) => {
    const given = value as AssembledProp;
    // Unknown names in globals are reported once, in checkGlobals.
    if (byName.has(prop)) set(prop, given.value, { layer: 'global', source: `globals.${typeKey}`, pointer: given.origin.source === 'board' ? given.origin.pointer : undefined }, given.origin.pointer);
  });
  for (const [prop, given] of Object.entries(object.props)) {
    const fromBoard = given.origin.source === 'board';
    set(prop, given.value, { layer: 'explicit', source: given.origin.source, pointer: fromBoard ? given.origin.pointer : undefined }, given.origin.pointer);
  }

  // Values that need a platform feature.
  for (const spec of type.props) {
    if (spec.needsFeature && props[spec.name] === spec.needsFeature.value && !context.platform.features.includes(spec.needsFeature.feature)) {
      const origin = origins[spec.name];
      problems.push({
        pointer: origin.pointer ?? object.origin.pointer,
        message: `${relativePath(object.path)}.${spec.name} = ${JSON.stringify(spec.needsFeature.value)} needs the feature "${spec.needsFeature.feature}", which platform ${platformId(context.platform)} does not provide`,
        hint: `Set ${spec.name} to ${JSON.stringify(!spec.needsFeature.value)} or run on a platform with "${spec.needsFeature.feature}".`,
      });
    }
  }
  return { props, origins };
}

/** A property the type does not have: a removed one says why it went and what to do instead. */
function noSuchPropertyProblem(type: EffectiveType, prop: string, pointer: string): BoardProblem {
  const removed = type.removedProps.find((r) => r.name === prop);
  if (removed) return { pointer, message: `property "${prop}" of type "${type.name}" was removed: ${removed.why}`, hint: removed.hint };
  return { pointer, message: `type "${type.name}" has no property "${prop}"`, hint: suggestion(prop, type.props.map((p) => p.name), `properties of ${type.name}`) };
}

/** Globals must name known types (or interfaces) and their properties. */
export function checkGlobals(globals: Record<string, Record<string, AssembledProp>>, knownInterfaces: ReadonlySet<string>, problems: BoardProblem[]): void {
  for (const [typeName, props] of Object.entries(globals)) {
    const type = effectiveType(typeName);
    if (type === undefined && !knownInterfaces.has(typeName)) {
      const first = Object.values(props)[0];
      problems.push({ pointer: first?.origin.source === 'board' ? pointerOf('globals', typeName) : '/extends', message: `globals name unknown type "${typeName}"`, hint: 'Globals are keyed by a catalog type or interface name.' });
      continue;
    }
    if (type === undefined) continue;
    for (const [prop, given] of Object.entries(props)) {
      if (!type.props.some((p) => p.name === prop) && given.origin.source === 'board') {
        problems.push(noSuchPropertyProblem(type, prop, given.origin.pointer ?? pointerOf('globals', typeName, prop)));
      }
    }
  }
}

