// A tiny device-tree model and its two encodings: DTS v1 source text and a flattened device tree
// blob (DTB, version 17). Both are written from the same tree, so they cannot disagree.
// Runs in the browser and in Node (no node: imports).

/** One 32-bit cell: a number, or a reference to a labelled node (becomes that node's phandle). */
export type FdtCell = number | { readonly ref: string };

export type FdtValue =
  | { readonly kind: 'empty' }
  | { readonly kind: 'cells'; readonly cells: readonly FdtCell[] }
  | { readonly kind: 'strings'; readonly strings: readonly string[] }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export interface FdtProperty {
  readonly name: string;
  readonly value: FdtValue;
}

export interface FdtNode {
  /** Node name with its unit address, e.g. "serial@10000000"; "" for the root. */
  name: string;
  /** A DTS label; nodes that are referenced get a phandle. */
  label?: string;
  props: FdtProperty[];
  children: FdtNode[];
  /** Lines written as comments before the node's properties in DTS (not in the DTB). */
  comments?: string[];
}

export interface FdtTree {
  root: FdtNode;
  /** Physical id of the boot CPU (header field boot_cpuid_phys). */
  bootCpuId: number;
  /** Comment lines written at the top of the DTS. */
  headerComments?: string[];
}

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_BEGIN_NODE = 1;
export const FDT_END_NODE = 2;
export const FDT_PROP = 3;
export const FDT_END = 9;
export const FDT_VERSION = 17;
export const FDT_LAST_COMPATIBLE_VERSION = 16;
export const FDT_HEADER_SIZE = 40;

// ---- value builders -------------------------------------------------------------------------

export const empty = (): FdtValue => ({ kind: 'empty' });
export const cells = (...values: FdtCell[]): FdtValue => ({ kind: 'cells', cells: values });
export const strings = (...values: string[]): FdtValue => ({ kind: 'strings', strings: values });
export const bytes = (values: Uint8Array): FdtValue => ({ kind: 'bytes', bytes: values });
export const ref = (label: string): FdtCell => ({ ref: label });
export const prop = (name: string, value: FdtValue): FdtProperty => ({ name, value });

/** A number as #cells 32-bit cells, most significant first (for addresses and sizes). */
export function splitCells(value: number, count: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (let i = 0; i < count; i++) {
    out.unshift(rest % 0x1_0000_0000 >>> 0);
    rest = Math.floor(rest / 0x1_0000_0000);
  }
  return out;
}

// ---- phandles -------------------------------------------------------------------------------

/**
 * Give every referenced labelled node a `phandle` property, numbered 1, 2, … in tree order
 * (pre-order, depth first), and return the label → phandle map. Throws on a dangling reference
 * or a duplicate label — both are bugs in the tree builder, not in user input.
 */
export function assignPhandles(root: FdtNode): Map<string, number> {
  const byLabel = new Map<string, FdtNode>();
  const referenced = new Set<string>();
  walk(root, (node) => {
    if (node.label !== undefined) {
      if (byLabel.has(node.label)) throw new Error(`duplicate device-tree label "${node.label}"`);
      byLabel.set(node.label, node);
    }
    for (const p of node.props) {
      if (p.value.kind === 'cells') for (const c of p.value.cells) if (typeof c !== 'number') referenced.add(c.ref);
    }
  });
  for (const label of referenced) if (!byLabel.has(label)) throw new Error(`device-tree reference to unknown label "${label}"`);
  const phandles = new Map<string, number>();
  walk(root, (node) => {
    if (node.label === undefined || !referenced.has(node.label)) return;
    const phandle = phandles.size + 1;
    phandles.set(node.label, phandle);
    node.props = node.props.filter((p) => p.name !== 'phandle');
    node.props.push(prop('phandle', cells(phandle)));
  });
  return phandles;
}

function walk(node: FdtNode, visit: (node: FdtNode) => void): void {
  visit(node);
  for (const child of node.children) walk(child, visit);
}

// ---- DTS ------------------------------------------------------------------------------------

const hexCell = (n: number): string => `0x${(n >>> 0).toString(16)}`;

function dtsString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code > 0x7f) for (const b of new TextEncoder().encode(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function dtsValue(value: FdtValue): string {
  switch (value.kind) {
    case 'empty':
      return '';
    case 'cells':
      return ` = <${value.cells.map((c) => (typeof c === 'number' ? hexCell(c) : `&${c.ref}`)).join(' ')}>`;
    case 'strings':
      return ` = ${value.strings.map(dtsString).join(', ')}`;
    case 'bytes':
      return ` = [${Array.from(value.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}]`;
  }
}

/** DTS v1 source text. Call assignPhandles first so phandle properties are explicit. */
export function toDts(tree: FdtTree): string {
  const lines: string[] = ['/dts-v1/;', ''];
  for (const c of tree.headerComments ?? []) lines.push(`// ${c}`);
  if ((tree.headerComments ?? []).length > 0) lines.push('');
  const emit = (node: FdtNode, depth: number): void => {
    const indent = '\t'.repeat(depth);
    const label = node.label !== undefined ? `${node.label}: ` : '';
    lines.push(`${indent}${label}${node.name === '' ? '/' : node.name} {`);
    for (const c of node.comments ?? []) lines.push(`${indent}\t/* ${c.replace(/\*\//g, '* /')} */`);
    for (const p of node.props) lines.push(`${indent}\t${p.name}${dtsValue(p.value)};`);
    for (const child of node.children) {
      lines.push('');
      emit(child, depth + 1);
    }
    lines.push(`${indent}};`);
  };
  emit(tree.root, 0);
  return `${lines.join('\n')}\n`;
}

// ---- DTB ------------------------------------------------------------------------------------

class ByteWriter {
  private buffer = new Uint8Array(256);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  u32(value: number): void {
    this.ensure(4);
    new DataView(this.buffer.buffer).setUint32(this.length, value >>> 0, false);
    this.length += 4;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  align(to: number): void {
    const pad = (to - (this.length % to)) % to;
    this.ensure(pad);
    this.buffer.fill(0, this.length, this.length + pad);
    this.length += pad;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();

function encodeValue(value: FdtValue, phandles: ReadonlyMap<string, number>): Uint8Array {
  switch (value.kind) {
    case 'empty':
      return new Uint8Array(0);
    case 'cells': {
      const out = new Uint8Array(value.cells.length * 4);
      const view = new DataView(out.buffer);
      value.cells.forEach((c, i) => {
        const n = typeof c === 'number' ? c : phandles.get(c.ref);
        if (n === undefined) throw new Error(`device-tree reference to unknown label "${(c as { ref: string }).ref}"`);
        view.setUint32(i * 4, n >>> 0, false);
      });
      return out;
    }
    case 'strings': {
      const parts = value.strings.map((s) => utf8.encode(s));
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length + 1; // NUL already there
      }
      return out;
    }
    case 'bytes':
      return value.bytes;
  }
}

/**
 * A flattened device tree blob: header, empty memory reservation map, structure block, strings
 * block (each property name stored once), big-endian, version 17 (last compatible 16).
 */
export function toDtb(tree: FdtTree, phandles: ReadonlyMap<string, number>): Uint8Array {
  const structure = new ByteWriter();
  const stringsBlock = new ByteWriter();
  const stringOffsets = new Map<string, number>();
  const nameOffset = (name: string): number => {
    let offset = stringOffsets.get(name);
    if (offset === undefined) {
      offset = stringsBlock.length;
      stringOffsets.set(name, offset);
      stringsBlock.bytes(utf8.encode(name));
      stringsBlock.bytes(new Uint8Array(1));
    }
    return offset;
  };
  const emit = (node: FdtNode): void => {
    structure.u32(FDT_BEGIN_NODE);
    structure.bytes(utf8.encode(node.name));
    structure.bytes(new Uint8Array(1));
    structure.align(4);
    for (const p of node.props) {
      const data = encodeValue(p.value, phandles);
      structure.u32(FDT_PROP);
      structure.u32(data.length);
      structure.u32(nameOffset(p.name));
      structure.bytes(data);
      structure.align(4);
    }
    for (const child of node.children) emit(child);
    structure.u32(FDT_END_NODE);
  };
  emit(tree.root);
  structure.u32(FDT_END);

  const memReserveOffset = FDT_HEADER_SIZE; // already 8-byte aligned
  const memReserveSize = 16; // the terminating all-zero entry
  const structOffset = memReserveOffset + memReserveSize;
  const stringsOffset = structOffset + structure.length;
  const totalSize = stringsOffset + stringsBlock.length;

  const out = new Uint8Array(totalSize);
  const view = new DataView(out.buffer);
  const header = [
    FDT_MAGIC,
    totalSize,
    structOffset,
    stringsOffset,
    memReserveOffset,
    FDT_VERSION,
    FDT_LAST_COMPATIBLE_VERSION,
    tree.bootCpuId,
    stringsBlock.length,
    structure.length,
  ];
  header.forEach((value, i) => view.setUint32(i * 4, value >>> 0, false));
  out.set(structure.result(), structOffset);
  out.set(stringsBlock.result(), stringsOffset);
  return out;
}
