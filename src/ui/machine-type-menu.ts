// The "New… → from machine type" menu's entries: the machine types grouped by the architecture of
// their CPUs (RISC-V, ARM), each with what it is, so a newcomer looking for QEMU's mps2-an385 or a
// Cortex-M board finds it without knowing the names.
import { cpuArchitecture, listMachineTypes, machineTypeId } from '../graph/index.ts';

export interface MachineTypeEntry {
  /** "mps2-an385@1.0": what newBoardFromMachineType takes. */
  id: string;
  /** "mps2-an385@1.0 — QEMU mps2-an385". */
  label: string;
  /** The machine type's doc, for the tooltip. */
  doc: string;
}

export interface MachineTypeGroup {
  /** "RISC-V", "ARM Cortex-M"; "other" for machine types without a CPU. */
  label: string;
  entries: MachineTypeEntry[];
}

/** What each architecture's group is called in the menu (the catalog's name otherwise). */
const GROUP_LABELS: Record<string, string> = { ARM: 'ARM Cortex-M' };

/** The machine types by their CPUs' architecture, in catalog order within a group, groups in order of first appearance. */
export function machineTypeGroups(): MachineTypeGroup[] {
  const groups = new Map<string, MachineTypeEntry[]>();
  for (const spec of listMachineTypes()) {
    const architecture = Object.values(spec.document.objects)
      .map((object) => (object?.type === undefined ? undefined : cpuArchitecture(object.type)?.name))
      .find((name) => name !== undefined);
    const label = architecture === undefined ? 'other' : (GROUP_LABELS[architecture] ?? architecture);
    const id = machineTypeId(spec);
    const entries = groups.get(label) ?? [];
    entries.push({ id, label: `${id} — ${spec.title}`, doc: spec.doc });
    groups.set(label, entries);
  }
  return [...groups].map(([label, entries]) => ({ label, entries }));
}
