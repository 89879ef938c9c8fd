// Preconfig editing: the board document a monitor's controller holds, edited as data before the
// machine is built (QEMU's preconfig phase). Objects are added, removed and configured, regions
// mapped and lines wired by editing the document. Each edit is checked by resolving the document;
// an edit that introduces a problem is refused with that problem and the document is left as it
// was. Problems that only say the board is not finished yet (a CPU whose reset vector has no memory
// mapped yet) do not block an edit; x-exit-preconfig reports everything still wrong.
//
// Which phase the machine is in is not this module's business: the run controller
// (./run-control.ts) hands this board out for editing only in the preconfig phase, and builds the
// machine from launchBoard().
import {
  libraryTypes,
  objectTree,
  resolveBoard,
  type BoardDocument,
  type BoardProblem,
  type CompositeTypeDocument,
  type ImageDocument,
  type IrqWireDocument,
  type MemoryEntryDocument,
  type ObjectTree,
  type ObjectDocument,
  type PropertyValueDocument,
  type ResetWireDocument,
  type ResolveOptions,
  type ResolvedBoard,
} from '../graph/index.ts';
import { ControllerError } from './controller-error.ts';

/** What DEVICE_DELETED says about one removed object (`device`: the id the request named). */
interface DeletedDevice {
  device?: string;
  path: string;
}

/** Problems that only say the board is unfinished: they never block an edit in the preconfig phase. */
function isIncompleteness(problem: BoardProblem): boolean {
  return /^CPU \S+ (starts at 0x[0-9a-f]+, where no memory is mapped|uses address space "[^"]*", where nothing is mapped)/.test(problem.message);
}

const problemKey = (p: BoardProblem) => `${p.pointer}\u0000${p.message}`;

/** "message. hint" — how a refused edit explains itself. */
function describeProblem(problem: BoardProblem): string {
  return `${problem.message}${problem.pointer ? ` (at ${problem.pointer})` : ''}. ${problem.hint}`;
}

/** Does a reference in a document ("uart0.regs", "soc/uart0", "/machine/uart0.irq") name object `name` or something inside it? */
function refersTo(reference: string | undefined, name: string): boolean {
  if (reference === undefined) return false;
  const relative = reference.replace(/^\/machine\//, '');
  return relative === name || relative.startsWith(`${name}.`) || relative.startsWith(`${name}/`);
}

export class PreconfigBoard {
  private doc: BoardDocument;
  private problemsBefore: BoardProblem[] | undefined;

  /**
   * `document` is copied. `deleted` hears of every object removeObject() removed (components first),
   * as soon as it is gone — the run controller turns that into DEVICE_DELETED events.
   */
  constructor(
    document: BoardDocument,
    private readonly resolveOptions: ResolveOptions | undefined,
    private readonly deleted: (devices: DeletedDevice[]) => void = () => undefined,
  ) {
    this.doc = structuredClone(document);
  }

  /** A copy of the board document, as edited so far. */
  get document(): BoardDocument {
    return structuredClone(this.doc);
  }

  /** Objects, parameters and composite types of the document as edited so far. */
  view(): ObjectTree {
    return objectTree(this.doc, this.resolveOptions ?? {});
  }

  /** The composite types the document defines or takes from its libraries. */
  compositeTypes(): Record<string, CompositeTypeDocument> {
    return { ...libraryTypes(this.doc, this.resolveOptions ?? {}), ...(this.doc.types ?? {}) };
  }

  /** Problems the document has now (none once it resolves). */
  problems(): BoardProblem[] {
    const result = resolveBoard(this.doc, this.resolveOptions);
    return result.ok ? [] : result.problems;
  }

  /** The document resolved, to build the machine from; a document with problems is refused with (the first five of) them. */
  launchBoard(): ResolvedBoard {
    const result = resolveBoard(this.doc, this.resolveOptions);
    if (!result.ok) {
      const shown = result.problems.slice(0, 5).map(describeProblem).join('; ');
      throw new ControllerError(`The board has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}: ${shown}${result.problems.length > 5 ? '; …' : ''}`);
    }
    return result.board;
  }

  /** Apply an edit to a copy of the document; keep it unless it introduces a problem. */
  private edit(change: (document: BoardDocument) => void, check = true): void {
    const next = structuredClone(this.doc);
    change(next);
    if (check) {
      this.problemsBefore ??= this.problems();
      const before = new Set(this.problemsBefore.map(problemKey));
      const result = resolveBoard(next, this.resolveOptions);
      const after = result.ok ? [] : result.problems;
      const introduced = after.filter((p) => !before.has(problemKey(p)) && !isIncompleteness(p));
      if (introduced.length > 0) throw new ControllerError(describeProblem(introduced[0]));
      this.problemsBefore = after;
    } else {
      this.problemsBefore = undefined;
    }
    this.doc = next;
  }

  /** Add an object at /machine/<name> (cold plug). Returns its path. */
  addObject(type: string, name: string, props: Record<string, PropertyValueDocument> = {}): string {
    if (this.view().objects.some((o) => o.path === `/machine/${name}`)) throw new ControllerError(`Duplicate device ID '${name}'`);
    this.edit((document) => {
      const object: ObjectDocument = { type };
      if (Object.keys(props).length > 0) object.props = { ...props };
      document.objects[name] = object;
    });
    return `/machine/${name}`;
  }

  /**
   * Remove a top-level object, with everything inside it and every mapping, wire and image of the
   * document that names it. Returns the paths removed (components first), which `deleted` hears of too.
   */
  removeObject(id: string): string[] {
    const path = id.startsWith('/') ? id : `/machine/${id}`;
    const objects = this.view().objects;
    const object = objects.find((o) => o.path === path);
    if (object === undefined) throw new ControllerError(`Device '${id}' not found`, 'DeviceNotFound');
    if (object.parent !== '/machine') throw new ControllerError(`Device '${id}' is a part of ${object.parent} and cannot be removed on its own`);
    const name = object.name;
    this.edit((document) => {
      delete document.objects[name];
      const keep = <T>(list: T[] | undefined, refs: (entry: T) => Array<string | undefined>) => list?.filter((entry) => !refs(entry).some((r) => refersTo(r, name)));
      document.memory = keep(document.memory, (m) => [m.map, m.alias, m.into]);
      document.irqs = keep(document.irqs, (w) => [w.from, w.to]);
      document.resets = keep(document.resets, (w) => [w.from, w.to]);
      document.images = keep(document.images, (i) => [i.cpu]);
      for (const [domain, members] of Object.entries(document.resetDomains ?? {})) document.resetDomains![domain] = members.filter((m) => !refersTo(m, name));
      for (const key of ['memory', 'irqs', 'resets', 'images'] as const) if (document[key]?.length === 0) delete document[key];
      // An object the document inherits (through "extends") is removed with null.
      if (objectTree(document, this.resolveOptions ?? {}).objects.some((o) => o.path === path)) document.objects[name] = null;
    }, false);
    const removed = objects.filter((o) => o.path === path || o.path.startsWith(`${path}/`)).map((o) => o.path);
    removed.sort((a, b) => b.split('/').length - a.split('/').length);
    this.deleted(removed.map((removedPath) => (removedPath === path ? { device: id, path: removedPath } : { path: removedPath })));
    return removed;
  }

  /** Set a property of an object in the document (its explicit value). */
  setProperty(path: string, prop: string, value: PropertyValueDocument): void {
    const view = this.view();
    const object = view.objects.find((o) => o.path === path);
    if (object === undefined) throw new ControllerError(`Device '${path}' not found`, 'DeviceNotFound');
    const names = path.replace(/^\/machine\//, '').split('/');
    this.edit((document) => {
      let entry: ObjectDocument | null | undefined = document.objects[names[0]];
      if (entry === null) throw new ControllerError(`${names[0]} has been removed`);
      if (entry === undefined) {
        if (names.length > 1) throw new ControllerError(`${path} is a part of composite ${view.objects.find((o) => o.path === `/machine/${names[0]}`)?.type ?? names[0]}; set its properties through the composite`);
        entry = document.objects[names[0]] = {};
      }
      for (const name of names.slice(1)) {
        const child: ObjectDocument | null | undefined = entry.children?.[name];
        if (child === undefined || child === null) throw new ControllerError(`${path} is a part of composite ${entry.type ?? names[0]}; set its properties through the composite`);
        entry = child;
      }
      entry.props = { ...(entry.props ?? {}), [prop]: value };
    });
  }

  /** Set a board parameter (e.g. harts). */
  setParam(name: string, value: number): void {
    this.edit((document) => {
      document.params = { ...(document.params ?? {}), [name]: value };
    });
  }

  /** Map a region (a memory entry of the document: map or alias, at, into, space, priority). */
  addMapping(entry: MemoryEntryDocument): void {
    this.edit((document) => void (document.memory ??= []).push({ ...entry }));
  }

  /** Wire IRQ output(s) to input(s). */
  addIrqWire(entry: IrqWireDocument): void {
    this.edit((document) => void (document.irqs ??= []).push({ ...entry }));
  }

  /** Wire a reset source to objects, a domain or the board. */
  addResetWire(entry: ResetWireDocument): void {
    this.edit((document) => void (document.resets ??= []).push({ ...entry }));
  }

  /** Add an image loaded at build and at every reset. */
  addImage(entry: ImageDocument): void {
    this.edit((document) => void (document.images ??= []).push({ ...entry }));
  }
}
