// The QOM view of a board: the object tree QMP's qom-* commands walk, and the type registry behind
// qom-list-types, qom-list-properties and device-list-properties.
//
//   /                      container: its child "machine"
//   /machine               the machine (type "<machine type>-<version>-machine", or "board-machine");
//                          board parameters (harts …) are its properties, top-level objects its children
//   /machine/soc/uart0     an object: "type", "realized", the catalog's properties, child<> objects
//
// Types are the catalog's (with their parents and interfaces), the catalog's interfaces (abstract,
// under "interface"), "object", "container", "machine", every machine type version, and the
// composite types of the board. Property types are QEMU's names: int, uint32, uint64, size, bool,
// str, link<T>, child<T>.
import { effectiveType, listMachineTypes, listTypes, machineTypeId, type EffectiveType, type MachineTypeSpec, type PropertySpec } from '../../graph/index.ts';
import type { BoardView, ViewObject } from '../run-control.ts';
import { QmpError } from './qapi.ts';

export interface ObjectPropertyInfo {
  name: string;
  type: string;
  description?: string;
  'default-value'?: unknown;
}

export interface ObjectTypeInfo {
  name: string;
  abstract?: boolean;
  parent?: string;
}

/** A node of the object tree. */
export type QomNode =
  | { kind: 'root'; path: '/'; qomType: 'container' }
  | { kind: 'machine'; path: '/machine'; qomType: string }
  | { kind: 'object'; path: string; qomType: string; object: ViewObject };

/** The QOM type name of a machine type version, as QEMU names its versioned machines. */
export function machineQomType(spec: MachineTypeSpec | undefined): string {
  return spec === undefined ? 'board-machine' : `${spec.name}-${spec.version}-machine`;
}

/** The name query-machines and -M use for a machine type version ("riscv-virt-1.1"). */
export function machineName(spec: MachineTypeSpec): string {
  return `${spec.name}-${spec.version}`;
}

/** QEMU's name for the type of a catalog property. */
export function propertyType(spec: PropertySpec): string {
  switch (spec.kind) {
    case 'int':
      return 'int';
    case 'uint':
      return 'uint32';
    case 'size':
      return 'size';
    case 'bool':
      return 'bool';
    case 'string':
    case 'enum':
      return 'str';
    case 'address':
    case 'frequency':
      return 'uint64';
    case 'link':
      return `link<${spec.linkTo ?? 'object'}>`;
  }
}

function propertyInfo(spec: PropertySpec, withDefault: boolean): ObjectPropertyInfo {
  const info: ObjectPropertyInfo = { name: spec.name, type: propertyType(spec), description: spec.doc };
  if (withDefault && spec.default !== null) info['default-value'] = spec.default;
  return info;
}

/** Properties of an instance of a composite type: its parameters and its exposed properties. */
function compositeProperties(view: BoardView, type: string, object?: ViewObject): ObjectPropertyInfo[] {
  const composite = view.compositeTypes[type];
  if (composite === undefined) return [];
  const infos: ObjectPropertyInfo[] = [];
  for (const [name, param] of Object.entries(composite.params ?? {})) {
    const info: ObjectPropertyInfo = { name, type: 'int', description: param.doc ?? `Parameter of ${type}.` };
    if (object === undefined) info['default-value'] = param.default;
    infos.push(info);
  }
  for (const [name, exposed] of Object.entries(composite.props ?? {})) {
    const value = object?.props[name] ?? exposed.default;
    const jsType = typeof value === 'boolean' ? 'bool' : typeof value === 'string' ? 'str' : 'int';
    const info: ObjectPropertyInfo = { name, type: jsType, description: exposed.doc ?? `Sets ${[exposed.to].flat().join(', ')}.` };
    if (object === undefined && exposed.default !== undefined && exposed.default !== null) info['default-value'] = exposed.default;
    infos.push(info);
  }
  return infos;
}

export class QomTree {
  private readonly nodes: QomNode[];
  private readonly machineType: string;

  constructor(
    readonly view: BoardView,
    /** Objects are realized (the machine is built). */
    readonly realized: boolean,
  ) {
    this.machineType = machineQomType(view.machineType);
    this.nodes = [
      { kind: 'root', path: '/', qomType: 'container' },
      { kind: 'machine', path: '/machine', qomType: this.machineType },
      ...view.objects.map((object): QomNode => ({ kind: 'object', path: object.path, qomType: object.type, object })),
    ];
  }

  /**
   * A node by absolute path ("/machine/uart0"), or by partial path ("uart0", "soc/uart0") when that
   * names exactly one object — QEMU's object_resolve_path rules and errors.
   */
  resolve(path: string): QomNode {
    const parts = path.split('/').filter((p) => p !== '');
    if (path.startsWith('/')) {
      const canonical = `/${parts.join('/')}`;
      const node = this.nodes.find((n) => n.path === canonical);
      if (node === undefined) throw new QmpError('DeviceNotFound', `Device '${path}' not found`);
      return node;
    }
    const matches = this.nodes.filter((n) => {
      const own = n.path.split('/').filter((p) => p !== '');
      return parts.length <= own.length && parts.every((p, i) => own[own.length - parts.length + i] === p);
    });
    if (matches.length > 1) throw new QmpError('GenericError', `Path '${path}' is ambiguous`);
    if (matches.length === 0) throw new QmpError('DeviceNotFound', `Device '${path}' not found`);
    return matches[0];
  }

  children(node: QomNode): QomNode[] {
    if (node.kind === 'root') return [this.nodes[1]];
    const parent = node.path;
    return this.nodes.filter((n): n is Extract<QomNode, { kind: 'object' }> => n.kind === 'object' && n.object.parent === parent);
  }

  private catalogType(node: QomNode): EffectiveType | undefined {
    return node.kind === 'object' && !node.object.composite ? effectiveType(node.object.type) : undefined;
  }

  /** qom-list: the node's properties, its children as child<type>. */
  list(node: QomNode): ObjectPropertyInfo[] {
    const infos: ObjectPropertyInfo[] = [{ name: 'type', type: 'string' }];
    if (node.kind === 'machine') for (const param of this.view.params) infos.push({ name: param.name, type: 'int' });
    if (node.kind === 'object') {
      infos.push({ name: 'realized', type: 'bool' });
      const type = this.catalogType(node);
      if (type !== undefined) for (const spec of type.props) infos.push({ name: spec.name, type: propertyType(spec) });
      else for (const info of compositeProperties(this.view, node.object.type, node.object)) infos.push({ name: info.name, type: info.type });
    }
    for (const child of this.children(node)) infos.push({ name: child.path.split('/').pop()!, type: `child<${child.qomType}>` });
    return infos;
  }

  /** A property's specification on a node, for qom-set: where it lives and what it takes. */
  property(node: QomNode, name: string): { kind: 'readonly' } | { kind: 'param' } | { kind: 'catalog'; spec: PropertySpec } | { kind: 'composite'; type: string } | undefined {
    if (name === 'type' || (node.kind === 'object' && name === 'realized')) return { kind: 'readonly' };
    if (this.children(node).some((c) => c.path.split('/').pop() === name)) return { kind: 'readonly' };
    if (node.kind === 'machine') return this.view.params.some((p) => p.name === name) ? { kind: 'param' } : undefined;
    if (node.kind !== 'object') return undefined;
    const type = this.catalogType(node);
    if (type !== undefined) {
      const spec = type.props.find((p) => p.name === name);
      return spec === undefined ? undefined : { kind: 'catalog', spec };
    }
    const info = compositeProperties(this.view, node.object.type, node.object).find((p) => p.name === name);
    return info === undefined ? undefined : { kind: 'composite', type: info.type };
  }

  notFound(node: QomNode, name: string): QmpError {
    return new QmpError('GenericError', `Property '${node.qomType}.${name}' not found`);
  }

  /** qom-get. */
  get(node: QomNode, name: string): unknown {
    if (name === 'type') return node.qomType;
    if (node.kind === 'object' && name === 'realized') return this.realized;
    const child = this.children(node).find((c) => c.path.split('/').pop() === name);
    if (child !== undefined) return child.path;
    if (node.kind === 'machine') {
      const param = this.view.params.find((p) => p.name === name);
      if (param !== undefined) return param.value;
    }
    if (node.kind === 'object' && this.property(node, name) !== undefined) {
      const value = node.object.props[name];
      const spec = this.catalogType(node)?.props.find((p) => p.name === name);
      if (spec?.kind === 'link') return typeof value === 'string' ? (value.startsWith('/') ? value : `/machine/${value}`) : '';
      return value ?? null;
    }
    throw this.notFound(node, name);
  }
}

/** Every type QOM knows: catalog types and interfaces, machine types, composite types of the board. */
export interface QomType {
  name: string;
  parent?: string;
  abstract: boolean;
  /** Ancestors and interfaces: what `implements` matches. */
  implements: string[];
  /** Device types can be given to device_add and device-list-properties. */
  device: boolean;
  /** Properties of an instance, with descriptions; with their defaults when `withDefaults`. */
  properties: (withDefaults: boolean) => ObjectPropertyInfo[];
}

export function qomTypes(view: BoardView): QomType[] {
  const types: QomType[] = [];
  const typeOnly = () => [{ name: 'type', type: 'string' }];
  types.push({ name: 'object', abstract: true, implements: [], device: false, properties: typeOnly });
  types.push({ name: 'interface', abstract: true, implements: [], device: false, properties: () => [] });
  const catalog = listTypes();
  const interfaces = [...new Set(catalog.flatMap((t) => t.interfaces))];
  for (const name of interfaces) types.push({ name, parent: 'interface', abstract: true, implements: ['interface'], device: false, properties: () => [] });
  types.push({ name: 'container', parent: 'object', abstract: false, implements: ['object'], device: false, properties: typeOnly });
  types.push({ name: 'machine', parent: 'object', abstract: true, implements: ['object'], device: false, properties: typeOnly });
  const machineProperties = (spec: MachineTypeSpec | undefined) => (withDefaults: boolean) => [
    { name: 'type', type: 'string' },
    ...Object.entries(spec?.params ?? {}).map(([name, param]) => {
      const info: ObjectPropertyInfo = { name, type: 'int', description: param.doc ?? `Parameter of ${spec ? machineTypeId(spec) : 'the board'}.` };
      if (withDefaults) info['default-value'] = param.default;
      return info;
    }),
  ];
  for (const spec of listMachineTypes()) types.push({ name: machineQomType(spec), parent: 'machine', abstract: false, implements: ['machine', 'object'], device: false, properties: machineProperties(spec) });
  types.push({ name: machineQomType(undefined), parent: 'machine', abstract: false, implements: ['machine', 'object'], device: false, properties: machineProperties(undefined) });
  for (const type of catalog) {
    const device = type.name === 'device' || type.ancestors.includes('device');
    types.push({
      name: type.name,
      parent: type.parent ?? 'object',
      abstract: type.abstract === true,
      implements: [...type.ancestors, 'object', ...type.interfaces, ...(type.interfaces.length > 0 ? ['interface'] : [])],
      device,
      properties: (withDefaults) => [
        { name: 'type', type: 'string' },
        ...(device ? [{ name: 'realized', type: 'bool' }] : []),
        ...type.props.map((spec) => propertyInfo(spec, withDefaults)),
      ],
    });
  }
  for (const name of Object.keys(view.compositeTypes)) {
    if (types.some((t) => t.name === name)) continue;
    types.push({
      name,
      parent: 'device',
      abstract: false,
      implements: ['device', 'object'],
      device: true,
      properties: () => [{ name: 'type', type: 'string' }, { name: 'realized', type: 'bool' }, ...compositeProperties(view, name)],
    });
  }
  return types;
}

/** qom-list-types: types implementing `implements` (itself, a subtype, or through an interface); abstract ones only when asked. */
export function listQomTypes(view: BoardView, implementsName: string | undefined, includeAbstract: boolean): ObjectTypeInfo[] {
  return qomTypes(view)
    .filter((t) => implementsName === undefined || t.name === implementsName || t.implements.includes(implementsName))
    .filter((t) => includeAbstract || !t.abstract)
    .map((t) => {
      const info: ObjectTypeInfo = { name: t.name };
      if (t.abstract) info.abstract = true;
      if (t.parent !== undefined) info.parent = t.parent;
      return info;
    });
}

/** qom-list-properties: the properties an instance of `typename` has (abstract types too). */
export function listTypeProperties(view: BoardView, typename: string): ObjectPropertyInfo[] {
  const type = qomTypes(view).find((t) => t.name === typename);
  if (type === undefined) throw new QmpError('DeviceNotFound', `Class '${typename}' not found`);
  return type.properties(true);
}

/** device-list-properties: what device_add takes for a concrete device type, with defaults and descriptions. */
export function listDeviceProperties(view: BoardView, typename: string): ObjectPropertyInfo[] {
  const type = qomTypes(view).find((t) => t.name === typename);
  if (type === undefined) throw new QmpError('DeviceNotFound', `Device '${typename}' not found`);
  if (!type.device || type.abstract) throw new QmpError('GenericError', "Parameter 'typename' expects a non-abstract device type");
  return type.properties(true).filter((p) => p.name !== 'type' && p.name !== 'realized');
}
