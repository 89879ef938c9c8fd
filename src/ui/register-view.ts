// What the register view shows (components/LiveRegisters.tsx): rows built from a type's register
// layout (src/graph/register-layouts.ts) and the values the worker peeked, with each register's
// fields decoded, and whether the value changed since the previous poll.
import {
  accessText,
  coreRegisterLayout,
  decodeCoreRegister,
  decodeFields,
  deviceRegisterLayout,
  registerInstances,
  type DecodedField,
} from '../graph/index.ts';
import type { CoreRegisterValues, DeviceRegisterValues } from '../workers/emulator.worker.ts';

export interface RegisterRow {
  /** Unique within the view: "regs@0x5", "mstatus". */
  key: string;
  /** "LSR", "priority[10]", "mstatus". */
  name: string;
  /** The register's group (its name without repetition indices): rows of one group fold together. */
  group: string;
  /** "regs+0x005", "" for core registers read by name, "SCS+0xd04" for ARM's. */
  where: string;
  /** Hex digits as wide as the register, or "—" when it could not be read. */
  valueText: string;
  value: number | null;
  fields: DecodedField[];
  /** The register's doc and access, for its tooltip. */
  doc: string;
  changed: boolean;
}

const hexOf = (value: number, bits: number) => `0x${value.toString(16).padStart(Math.ceil(bits / 4), '0')}`;

/** The rows of a device's register view; `previous` (the last poll's values by key) marks the changed ones. */
export function deviceRegisterRows(values: DeviceRegisterValues, props: Readonly<Record<string, unknown>>, previous: ReadonlyMap<string, number | null>): RegisterRow[] {
  const layout = deviceRegisterLayout(values.type) ?? [];
  const byKey = new Map(values.values.map((v) => [`${v.region}@${v.offset}`, v.value]));
  const blocks = layout.length;
  return layout.flatMap((block) =>
    registerInstances(block, props).map((instance): RegisterRow => {
      const key = `${block.region}@${instance.offset}`;
      const value = byKey.get(key) ?? null;
      const register = instance.layout;
      const element = instance.indices.length > 0 ? instance.indices[instance.indices.length - 1] - (register.repeat?.[register.repeat.length - 1].first ?? 0) : 0;
      const fields = value === null || register.fields === undefined ? [] : decodeFields(register.fields, register.width === 64 ? BigInt(value) : value, element);
      return {
        key,
        name: instance.name,
        group: `${block.region}:${register.name}`,
        where: `${blocks > 1 ? `${block.region}+` : '+'}0x${instance.offset.toString(16)}`,
        valueText: value === null ? '—' : hexOf(value, register.width),
        value,
        fields,
        doc: `${register.doc} (${register.width} bits, ${accessText(register.access)})`,
        changed: previous.has(key) && previous.get(key) !== value,
      };
    }),
  );
}

/** The rows of a CPU's control registers (CSRs; ARM special, SCB and SysTick registers). */
export function coreRegisterRows(values: CoreRegisterValues, previous: ReadonlyMap<string, number | null>): RegisterRow[] {
  const layout = coreRegisterLayout(values.architecture) ?? [];
  const byName = new Map(values.values.map((v) => [v.name, v.value]));
  return layout.map((register): RegisterRow => {
    const value = byName.get(register.name) ?? null;
    return {
      key: register.name,
      name: register.name,
      group: register.name,
      where: register.systemOffset === undefined ? '' : `0x${(0xe000_e000 + register.systemOffset).toString(16)}`,
      valueText: value === null ? '—' : hexOf(value, register.width),
      value,
      fields: value === null ? [] : decodeCoreRegister(register, value),
      doc: `${register.doc} (${accessText(register.access)})`,
      changed: previous.has(register.name) && previous.get(register.name) !== value,
    };
  });
}

/** The values of rows by key, for the next poll's change marks. */
export function rowValues(rows: readonly RegisterRow[]): Map<string, number | null> {
  return new Map(rows.map((row) => [row.key, row.value]));
}

/** Rows grouped by register (a repeated register's instances together), in order. */
export function groupRows(rows: readonly RegisterRow[]): RegisterRow[][] {
  const groups = new Map<string, RegisterRow[]>();
  for (const row of rows) {
    const group = groups.get(row.group);
    if (group) group.push(row);
    else groups.set(row.group, [row]);
  }
  return [...groups.values()];
}
