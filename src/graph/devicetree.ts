// Resolved board → device tree (DTS text and DTB blob), with the nodes firmware expects, laid out
// like QEMU's riscv virt tree (hw/riscv/virt.c): 2/2 address cells at the root, /chosen,
// /cpus with one cpu@N and its interrupt controller per hart, /memory@ADDR per RAM mapping, and
// /soc (a simple-bus) holding the MMIO devices. Both outputs come from one FdtNode tree (fdt.ts).
//
// Devices are described by DEVICE_RULES, one entry per catalog type name; an object whose type has
// no rule is skipped with a comment in the DTS.
import type { PropertyValue, ResolvedBoard, ResolvedIrq, ResolvedIrqEndpoint, ResolvedMapping, ResolvedObject } from './resolve.ts';
import { findType } from './catalog.ts';
import {
  assignPhandles,
  cells,
  empty,
  prop,
  ref,
  splitCells,
  strings,
  toDtb,
  toDts,
  type FdtCell,
  type FdtNode,
  type FdtProperty,
  type FdtTree,
} from './fdt.ts';

/** #address-cells and #size-cells at the root and in /soc: QEMU virt uses 2/2, for riscv32 too. */
export const ADDRESS_CELLS = 2;
export const SIZE_CELLS = 2;
export const DEFAULT_TIMEBASE_FREQUENCY = 10_000_000;
/** clock-frequency of QEMU virt's NS16550A (3.6864 MHz). */
export const NS16550A_CLOCK_FREQUENCY = 0x384000;
/** riscv,ndev of QEMU virt's PLIC, used when the board does not say how many sources it has. */
export const QEMU_VIRT_PLIC_NDEV = 0x60;

/** Local interrupt numbers of a RISC-V hart (mip bits), as cells of riscv,cpu-intc. */
export const IRQ_S_SOFT = 1;
export const IRQ_M_SOFT = 3;
export const IRQ_S_TIMER = 5;
export const IRQ_M_TIMER = 7;
export const IRQ_S_EXT = 9;
export const IRQ_M_EXT = 11;

const SYSTEM_SPACE = 'system';

export function boardToDts(board: ResolvedBoard): string {
  const tree = boardToFdtTree(board);
  assignPhandles(tree.root);
  return toDts(tree);
}

export function boardToDtb(board: ResolvedBoard): Uint8Array {
  const tree = boardToFdtTree(board);
  const phandles = assignPhandles(tree.root);
  return toDtb(tree, phandles);
}

// ---- the rule table -------------------------------------------------------------------------

export interface Hart {
  object: ResolvedObject;
  hartId: number;
  /** Label of its cpu/interrupt-controller node. */
  intc: string;
}

/** What a rule gets to build one object's node. */
export interface DeviceContext {
  readonly object: ResolvedObject;
  readonly board: ResolvedBoard;
  /** Its label (unique in the tree; referenced labels get a phandle). */
  readonly label: string;
  /** The object's mappings into the system address space, first one gives the unit address. */
  readonly mappings: readonly ResolvedMapping[];
  /** The harts, ordered by hart id. */
  readonly harts: readonly Hart[];
  /** `reg` for all its mappings (2 address cells, 2 size cells). */
  reg(): FdtProperty;
  /** `interrupt-parent` + `interrupts` (or `interrupts-extended`) for its wired IRQ outputs. */
  interrupts(): FdtProperty[];
  /** A numeric property of the object, or the fallback. */
  num(name: string, fallback: number): number;
  /** A string property of the object, or undefined. */
  str(name: string): string | undefined;
  /** Add a node at the root of the tree (e.g. poweroff/reboot beside the finisher). */
  addRootNode(node: FdtNode): void;
}

export interface DeviceRule {
  /** Node name before "@unit-address". */
  readonly nodeName: string;
  /** Where the node goes: at the root (memory) or under /soc (MMIO devices, the default). */
  readonly placement?: 'root' | 'soc';
  /** A UART: the first one becomes /chosen/stdout-path. */
  readonly serial?: boolean;
  /** The node's properties (and its children, if any). */
  build(context: DeviceContext): { props: FdtProperty[]; children?: FdtNode[] };
  /** For interrupt controllers: the interrupt specifier of one of its IRQ inputs (undefined: not an interrupt input). */
  interruptSpecifier?(input: ResolvedIrqEndpoint): number[] | undefined;
}

const compatible = (...names: string[]): FdtProperty => prop('compatible', strings(...names));

/** The CPU input a line lands on → its local interrupt number (cells of riscv,cpu-intc). */
export const CPU_INPUT_LINES: Readonly<Record<string, number>> = {
  ssip: IRQ_S_SOFT,
  msip: IRQ_M_SOFT,
  stip: IRQ_S_TIMER,
  mtip: IRQ_M_TIMER,
  seip: IRQ_S_EXT,
  meip: IRQ_M_EXT,
};

/** One interrupts-extended entry: <&intc line>. */
export interface HartLine {
  readonly intc: string;
  readonly line: number;
}

/**
 * interrupts-extended for a CLINT or PLIC, from its per-hart outputs: for k = 0, 1, … one slot
 * per port in `ports` (CLINT: msip, mtip; PLIC: meip, seip — the PLIC's contexts in order).
 * A slot whose output is wired to a hart becomes <&that-hart's-intc line-of-the-input>. When
 * `keepSlots` is set (the PLIC: an entry's position is its context number), unwired slots
 * before the last wired one become <&intc 0xffffffff>, which firmware skips; otherwise they are
 * left out. When none of the outputs is wired, the board is taken to be wired like QEMU virt:
 * the harts hartid-base .. hartid-base + num-harts - 1 with the lines in `defaults`.
 */
function hartLines(context: DeviceContext, ports: readonly string[], defaults: readonly number[], keepSlots: boolean): FdtCell[] {
  const wires = context.board.irqs.filter((w) => w.source.object === context.object.path && ports.includes(w.source.port));
  const hartOf = new Map(context.harts.map((h) => [h.object.path, h]));
  const slots: Array<HartLine | undefined> = [];
  let wired = false;
  const count = Math.max(context.num('num-harts', 0), ...wires.map((w) => w.source.index + 1));
  for (let k = 0; k < count; k++) {
    for (const port of ports) {
      const wire = wires.find((w) => w.source.port === port && w.source.index === k && hartOf.has(w.target.object));
      const line = wire === undefined ? undefined : CPU_INPUT_LINES[wire.target.port];
      if (wire !== undefined && line !== undefined) {
        slots.push({ intc: (hartOf.get(wire.target.object) as Hart).intc, line });
        wired = true;
      } else slots.push(undefined);
    }
  }
  if (!wired) {
    const base = context.num('hartid-base', 0);
    const harts = context.harts.filter((h) => h.hartId >= base && h.hartId < base + context.num('num-harts', Infinity));
    return harts.flatMap((h) => defaults.flatMap((line): FdtCell[] => [ref(h.intc), line]));
  }
  while (slots.length > 0 && slots[slots.length - 1] === undefined) slots.pop();
  const out: FdtCell[] = [];
  slots.forEach((slot, i) => {
    if (slot !== undefined) out.push(ref(slot.intc), slot.line);
    else if (keepSlots) {
      // A context nobody listens to: keep its position, pointing at a neighbouring slot's hart.
      const group = Math.floor(i / ports.length) * ports.length;
      const near = slots.slice(group, group + ports.length).find((s) => s !== undefined) ?? slots.find((s) => s !== undefined);
      out.push(ref((near as HartLine).intc), 0xffffffff);
    }
  });
  return out;
}

const FRAMEBUFFER_FORMATS: Readonly<Record<string, { name: string; bytesPerPixel: number }>> = {
  xrgb8888: { name: 'x8r8g8b8', bytesPerPixel: 4 },
  rgb565: { name: 'r5g6b5', bytesPerPixel: 2 },
};

export const DEVICE_RULES: Readonly<Record<string, DeviceRule>> = {
  ram: {
    nodeName: 'memory',
    placement: 'root',
    build: (c) => ({ props: [prop('device_type', strings('memory')), c.reg()] }),
  },
  ns16550a: {
    nodeName: 'serial',
    serial: true,
    build: (c) => ({
      props: [
        compatible('ns16550a'),
        c.reg(),
        prop('clock-frequency', cells(c.num('clock-frequency', NS16550A_CLOCK_FREQUENCY))),
        ...c.interrupts(),
      ],
    }),
  },
  'sifive-test': {
    nodeName: 'test',
    build: (c) => {
      // QEMU's syscon-poweroff / syscon-reboot nodes, for the first finisher only (fixed names).
      if (c.board.objects.find((o) => o.type === 'sifive-test') === c.object) {
        const syscon = (name: string, value: number): FdtNode => ({
          name,
          props: [compatible(`syscon-${name}`), prop('regmap', cells(ref(c.label))), prop('offset', cells(0)), prop('value', cells(value))],
          children: [],
        });
        c.addRootNode(syscon('poweroff', 0x5555));
        c.addRootNode(syscon('reboot', 0x7777));
      }
      return { props: [compatible('sifive,test1', 'sifive,test0', 'syscon'), c.reg(), ...c.interrupts()] };
    },
  },
  clint: {
    nodeName: 'clint',
    build: (c) => {
      const extended = hartLines(c, ['msip', 'mtip'], [IRQ_M_SOFT, IRQ_M_TIMER], false);
      return {
        props: [
          compatible('sifive,clint0', 'riscv,clint0'),
          c.reg(),
          ...(extended.length > 0 ? [prop('interrupts-extended', cells(...extended))] : []),
        ],
      };
    },
  },
  plic: {
    nodeName: 'plic',
    build: (c) => {
      const extended = hartLines(c, ['meip', 'seip'], [IRQ_M_EXT, IRQ_S_EXT], true);
      // num-sources counts the unused source 0; riscv,ndev is the highest source number.
      const sources = c.num('num-sources', 0);
      return {
        props: [
          compatible('sifive,plic-1.0.0', 'riscv,plic0'),
          c.reg(),
          prop('#address-cells', cells(0)),
          prop('#interrupt-cells', cells(1)),
          prop('interrupt-controller', empty()),
          prop('riscv,ndev', cells(sources > 1 ? sources - 1 : QEMU_VIRT_PLIC_NDEV)),
          ...(extended.length > 0 ? [prop('interrupts-extended', cells(...extended))] : []),
        ],
      };
    },
    interruptSpecifier: (input) => (input.port === 'in' ? [input.index] : undefined),
  },
  gpio: {
    nodeName: 'gpio',
    build: (c) => ({
      props: [
        compatible('boardlab,gpio'),
        c.reg(),
        prop('gpio-controller', empty()),
        prop('#gpio-cells', cells(2)),
        prop('ngpios', cells(c.num('num-lines', 32))),
        ...c.interrupts(),
      ],
    }),
  },
  framebuffer: {
    nodeName: 'framebuffer',
    build: (c) => {
      const width = c.num('width', 320);
      const height = c.num('height', 240);
      const format = FRAMEBUFFER_FORMATS[c.str('format') ?? 'xrgb8888'] ?? FRAMEBUFFER_FORMATS.xrgb8888;
      return {
        props: [
          compatible('simple-framebuffer'),
          c.reg(),
          prop('width', cells(width)),
          prop('height', cells(height)),
          prop('stride', cells(width * format.bytesPerPixel)),
          prop('format', strings(format.name)),
        ],
      };
    },
  },
};

/** Types that are not devices under /soc but are handled by the tree itself. */
const CPU_TYPES = new Set(['rv32']);

// ---- building the tree ----------------------------------------------------------------------

function numberProp(value: PropertyValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function unitAddress(address: number): string {
  return address.toString(16);
}

function labelBase(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** Lower-case "vendor,model"-safe form of a board name. */
function compatibleName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9.+_-]+/g, '-');
  return cleaned === '' ? 'board' : cleaned;
}

/** riscv,isa from the hart's extension switches (m, a, c; true unless set false). */
function isaString(object: ResolvedObject): string {
  const letters = ['m', 'a', 'c'].filter((l) => object.props[l] !== false).join('');
  return `rv32i${letters}_zicsr_zifencei`;
}

/** Supervisor mode brings Sv32 paging. */
function hasSupervisor(object: ResolvedObject): boolean {
  return object.props['s'] !== false;
}

class TreeBuilder {
  private readonly labels = new Set<string>();
  private readonly objectsByPath = new Map<string, ResolvedObject>();
  private readonly objectLabels = new Map<string, string>();
  private readonly rootExtras: FdtNode[] = [];
  private readonly comments: string[] = [];
  private harts: Hart[] = [];

  constructor(private readonly board: ResolvedBoard) {
    for (const o of board.objects) this.objectsByPath.set(o.path, o);
  }

  private relative(path: string): string {
    return path.replace(/^\/machine\//, '');
  }

  private uniqueLabel(base: string): string {
    let label = labelBase(base);
    for (let n = 1; this.labels.has(label); n++) label = `${labelBase(base)}_${n}`;
    this.labels.add(label);
    return label;
  }

  private labelOf(object: ResolvedObject): string {
    let label = this.objectLabels.get(object.path);
    if (label === undefined) {
      label = this.uniqueLabel(this.relative(object.path).replace(/\//g, '_'));
      this.objectLabels.set(object.path, label);
    }
    return label;
  }

  private mappingsOf(object: ResolvedObject): ResolvedMapping[] {
    const regionOrder = findType(object.type)?.regions.map((r) => r.name) ?? [];
    const rank = (m: ResolvedMapping): number => {
      const i = regionOrder.indexOf(m.region);
      return i < 0 ? regionOrder.length : i;
    };
    return this.board.memory
      .filter((m) => m.object === object.path && m.space === SYSTEM_SPACE)
      .sort((a, b) => rank(a) - rank(b) || a.base - b.base);
  }

  build(): FdtTree {
    const { board } = this;
    this.harts = this.buildHarts();
    const cpus = this.cpusNode();

    const rootNodes: Array<{ base: number; node: FdtNode }> = [];
    const socNodes: Array<{ base: number; node: FdtNode }> = [];
    let stdoutPath: string | undefined;
    const placed: Array<{ object: ResolvedObject; rule: DeviceRule; mappings: ResolvedMapping[]; nodeName: string; where: string }> = [];
    const taken = new Set<string>();

    for (const object of board.objects) {
      if (CPU_TYPES.has(object.type)) continue;
      const rule = DEVICE_RULES[object.type];
      const name = this.relative(object.path);
      if (rule === undefined) {
        this.comments.push(`${name} (type "${object.type}"): no device-tree rule for this type; skipped`);
        continue;
      }
      const mappings = this.mappingsOf(object);
      if (mappings.length === 0) {
        const elsewhere = board.memory.some((m) => m.object === object.path);
        this.comments.push(`${name} (${object.type}): ${elsewhere ? 'mapped only outside the system address space' : 'not mapped'}; skipped`);
        continue;
      }
      const nodeName = `${rule.nodeName}@${unitAddress(mappings[0].base)}`;
      const where = rule.placement === 'root' ? `/${nodeName}` : `/soc/${nodeName}`;
      if (taken.has(where)) {
        this.comments.push(`${name} (${object.type}): ${where} is already taken by another object; skipped`);
        continue;
      }
      taken.add(where);
      placed.push({ object, rule, mappings, nodeName, where });
    }
    // Labels first, so interrupt wiring can refer to any controller.
    for (const { object } of placed) this.labelOf(object);
    const controllers = new Set(placed.filter((p) => p.rule.interruptSpecifier !== undefined).map((p) => p.object.path));

    for (const { object, rule, mappings, nodeName, where } of placed) {
      const label = this.labelOf(object);
      const context: DeviceContext = {
        object,
        board,
        label,
        mappings,
        harts: this.harts,
        reg: () => prop('reg', cells(...mappings.flatMap((m) => [...splitCells(m.base, ADDRESS_CELLS), ...splitCells(m.size, SIZE_CELLS)]))),
        interrupts: () => this.interruptProps(object, controllers),
        num: (n, fallback) => numberProp(object.props[n]) ?? fallback,
        str: (n) => (typeof object.props[n] === 'string' ? (object.props[n] as string) : undefined),
        addRootNode: (node) => this.rootExtras.push(node),
      };
      const built = rule.build(context);
      const node: FdtNode = { name: nodeName, label, props: built.props, children: built.children ?? [] };
      (rule.placement === 'root' ? rootNodes : socNodes).push({ base: mappings[0].base, node });
      if (rule.serial && stdoutPath === undefined) stdoutPath = where;
    }
    rootNodes.sort((a, b) => a.base - b.base);
    socNodes.sort((a, b) => a.base - b.base);

    const chosen: FdtNode = { name: 'chosen', props: stdoutPath !== undefined ? [prop('stdout-path', strings(stdoutPath))] : [], children: [] };
    const soc: FdtNode = {
      name: 'soc',
      props: [prop('#address-cells', cells(ADDRESS_CELLS)), prop('#size-cells', cells(SIZE_CELLS)), compatible('simple-bus'), prop('ranges', empty())],
      children: socNodes.map((e) => e.node),
    };
    const isVirt = board.name === 'riscv-virt';
    const root: FdtNode = {
      name: '',
      props: [
        prop('#address-cells', cells(ADDRESS_CELLS)),
        prop('#size-cells', cells(SIZE_CELLS)),
        compatible(isVirt ? 'riscv-virtio' : `boardlab,${compatibleName(board.name)}`),
        prop('model', strings(isVirt ? 'riscv-virtio,qemu' : `BoardLab ${board.name}`)),
      ],
      children: [chosen, cpus, ...rootNodes.map((e) => e.node), soc, ...this.rootExtras],
      comments: this.comments,
    };
    const headerComments = [`Device tree of the BoardLab board "${board.name}".`];
    for (const line of board.description.split('\n')) if (line.trim() !== '') headerComments.push(line.trim());
    return { root, bootCpuId: this.harts[0]?.hartId ?? 0, headerComments };
  }

  private buildHarts(): Hart[] {
    const harts: Hart[] = [];
    const seen = new Set<number>();
    for (const object of this.board.objects) {
      if (!CPU_TYPES.has(object.type)) continue;
      const hartId = numberProp(object.props['hart-id']) ?? 0;
      if (seen.has(hartId)) {
        this.comments.push(`${this.relative(object.path)} (${object.type}): hart id ${hartId} is already used by another CPU; skipped`);
        continue;
      }
      seen.add(hartId);
      harts.push({ object, hartId, intc: '' });
    }
    harts.sort((a, b) => a.hartId - b.hartId);
    for (const hart of harts) hart.intc = this.uniqueLabel(`cpu${hart.hartId}_intc`);
    return harts;
  }

  private cpusNode(): FdtNode {
    const timebase =
      this.board.objects.map((o) => numberProp(o.props['timebase-frequency'])).find((f) => f !== undefined) ?? DEFAULT_TIMEBASE_FREQUENCY;
    const cpuNodes = this.harts.map((hart): FdtNode => {
      const props: FdtProperty[] = [
        prop('device_type', strings('cpu')),
        prop('reg', cells(hart.hartId)),
        prop('status', strings('okay')),
        compatible('riscv'),
        prop('riscv,isa', strings(isaString(hart.object))),
      ];
      if (hasSupervisor(hart.object)) props.push(prop('mmu-type', strings('riscv,sv32')));
      return {
        name: `cpu@${unitAddress(hart.hartId)}`,
        label: this.uniqueLabel(`cpu${hart.hartId}`),
        props,
        children: [
          {
            name: 'interrupt-controller',
            label: hart.intc,
            props: [
              prop('#address-cells', cells(0)),
              prop('#interrupt-cells', cells(1)),
              prop('interrupt-controller', empty()),
              compatible('riscv,cpu-intc'),
            ],
            children: [],
          },
        ],
      };
    });
    const props: FdtProperty[] = [];
    if (cpuNodes.length > 0) props.push(prop('#address-cells', cells(1)), prop('#size-cells', cells(0)));
    props.push(prop('timebase-frequency', cells(timebase)));
    return { name: 'cpus', props, children: cpuNodes };
  }

  /** Interrupts of a device's IRQ outputs that are wired to interrupt controllers with a node. */
  private interruptProps(object: ResolvedObject, controllers: ReadonlySet<string>): FdtProperty[] {
    const outputs = findType(object.type)?.irqs.filter((p) => p.direction === 'out').map((p) => p.name) ?? [];
    const rank = (w: ResolvedIrq): number => {
      const i = outputs.indexOf(w.source.port);
      return i < 0 ? outputs.length : i;
    };
    const wires = this.board.irqs
      .filter((w) => w.source.object === object.path && controllers.has(w.target.object))
      .sort((a, b) => rank(a) - rank(b) || a.source.index - b.source.index);
    const specifiers = wires.flatMap((w) => {
      const controller = this.objectsByPath.get(w.target.object) as ResolvedObject;
      const specifier = DEVICE_RULES[controller.type].interruptSpecifier?.(w.target);
      return specifier === undefined ? [] : [{ parent: this.labelOf(controller), cells: specifier }];
    });
    if (specifiers.length === 0) return [];
    if (specifiers.every((s) => s.parent === specifiers[0].parent)) {
      return [prop('interrupt-parent', cells(ref(specifiers[0].parent))), prop('interrupts', cells(...specifiers.flatMap((s) => s.cells)))];
    }
    return [prop('interrupts-extended', cells(...specifiers.flatMap((s): FdtCell[] => [ref(s.parent), ...s.cells])))];
  }
}

/** The device tree of a resolved board, before phandles are assigned. */
export function boardToFdtTree(board: ResolvedBoard): FdtTree {
  return new TreeBuilder(board).build();
}
