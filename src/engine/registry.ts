// The engine's registry: the implementation of every catalog type, loaded on first use.
//
// Each catalog type names its engine module (../graph/catalog.ts `module`); the module file
// exports the factories of its types — `devices` (type → DeviceFactory) and/or `cpus` (type →
// CPU factory). There is no central list: "engine/devices/<file>" is ./devices/<file>.ts and
// "engine/cpu/<arch>" is ./cpu/<arch>/index.ts (an architecture's cores), found by a glob, so the bundler makes each module file
// its own chunk and the browser fetches it when a board first uses one of its types.
//
// The entry points (worker, CLI, QMP controller, tests) `await loadBoardModules(board)` before
// Machine.build, which then looks factories up synchronously. A module that fails to load makes
// its types unavailable, with the reason (introspection, validation, the palette), never a crash
// (DESIGN.md principle 10).
import { catalogModules, effectiveType, type ModuleAvailability } from '../graph/index.ts';
import type { CpuFactory } from './cpu/contract.ts';
import type { Device, DeviceContext } from './devices/device.ts';

export type DeviceFactory = (context: DeviceContext) => Device;

/** What an engine module file exports for the registry. */
export interface EngineModule {
  readonly devices?: Readonly<Record<string, DeviceFactory>>;
  readonly cpus?: Readonly<Record<string, CpuFactory>>;
}

/** Imports an engine module by its catalog name (rejects when it does not exist or fails to load). */
export type ModuleImporter = (name: string) => Promise<unknown>;

const MODULE_NAME = /^engine\/(devices|cpu)\/([a-z0-9][a-z0-9-]*)$/;

/** The file behind a module name, relative to this one, or undefined when the name is not a module name. */
function moduleFile(name: string): string | undefined {
  const match = MODULE_NAME.exec(name);
  if (match === null) return undefined;
  return match[1] === 'devices' ? `./devices/${match[2]}.ts` : `./cpu/${match[2]}/index.ts`;
}

/**
 * Under Vite (the browser build, vitest) the glob becomes one lazily imported chunk per file:
 * every file of ./devices and ./cpu except tests and the shared interfaces. Plain Node (the CLI
 * through tsx) has no import.meta.env and no glob; it imports the file by path instead.
 */
const bundledModules: Record<string, () => Promise<unknown>> | undefined =
  import.meta.env === undefined ? undefined : import.meta.glob(['./devices/*.ts', './cpu/*/index.ts', '!./**/*.test.ts', '!./devices/device.ts']);

/** The import behind every module name: "engine/devices/<file>" is ./devices/<file>.ts, "engine/cpu/<arch>" ./cpu/<arch>/index.ts. */
export const importEngineModule: ModuleImporter = (name) => {
  const file = moduleFile(name);
  if (file === undefined) return Promise.reject(new Error(`no engine module named "${name}" in this build`));
  if (bundledModules === undefined) return import(/* @vite-ignore */ file);
  const load = bundledModules[file];
  return load === undefined ? Promise.reject(new Error(`no engine module named "${name}" in this build`)) : load();
};

/** A board's objects as far as the registry cares: their types (composites have no module of their own). */
export interface BoardObjects {
  readonly objects: ReadonlyArray<{ readonly type: string; readonly composite?: boolean }>;
}

export class ModuleRegistry {
  private readonly loaded = new Map<string, EngineModule>();
  private readonly failures = new Map<string, string>();
  private readonly loading = new Map<string, Promise<ModuleAvailability>>();
  private readonly deviceFactories = new Map<string, DeviceFactory>();
  private readonly cpuFactories = new Map<string, CpuFactory>();

  constructor(private readonly importer: ModuleImporter = importEngineModule) {}

  /**
   * Loads a module once (later calls share the first load). Never throws: a failure is the
   * module's status, and the next call tries again (a network error in the browser may pass).
   */
  load(name: string): Promise<ModuleAvailability> {
    if (this.loaded.has(name)) return Promise.resolve({ available: true });
    const pending = this.loading.get(name);
    if (pending) return pending;
    const attempt = this.importer(name)
      .then((exports): ModuleAvailability => {
        this.register(name, exports);
        this.failures.delete(name);
        return { available: true };
      })
      .catch((error: unknown): ModuleAvailability => {
        const reason = error instanceof Error ? error.message : String(error);
        this.failures.set(name, reason);
        return { available: false, reason: `module ${name} failed to load: ${reason}` };
      })
      .finally(() => this.loading.delete(name));
    this.loading.set(name, attempt);
    return attempt;
  }

  /** Loads the given modules (in parallel); the status of each. */
  async loadAll(names: Iterable<string>): Promise<Map<string, ModuleAvailability>> {
    const list = [...new Set(names)];
    const statuses = await Promise.all(list.map((name) => this.load(name)));
    return new Map(list.map((name, i) => [name, statuses[i]]));
  }

  /** Loads the modules of the types a board uses; the status of each (see unavailableTypeProblems). */
  loadBoardModules(board: BoardObjects): Promise<Map<string, ModuleAvailability>> {
    return this.loadAll(boardModules(board));
  }

  /** Loads every module the catalog names (`boardlab types`, the palette). */
  loadCatalogModules(): Promise<Map<string, ModuleAvailability>> {
    return this.loadAll(catalogModules().keys());
  }

  /** The status of every module tried so far (loaded, or failed with the reason). */
  statuses(): Map<string, ModuleAvailability> {
    const statuses = new Map<string, ModuleAvailability>();
    for (const name of this.loaded.keys()) statuses.set(name, { available: true });
    for (const [name, reason] of this.failures) statuses.set(name, { available: false, reason: `module ${name} failed to load: ${reason}` });
    return statuses;
  }

  /** The factory of a device type, if its module has loaded. */
  deviceFactory(type: string): DeviceFactory | undefined {
    return this.deviceFactories.get(type);
  }

  /** The factory of a CPU type, if its module has loaded and provides one. */
  cpuFactory(type: string): CpuFactory | undefined {
    return this.cpuFactories.get(type);
  }

  /** Why a type has no implementation now: its module is not loaded, failed, or does not provide it. */
  missingReason(type: string): string {
    const module = effectiveType(type)?.module;
    if (module === undefined) return `the catalog names no engine module for type "${type}"`;
    const failure = this.failures.get(module);
    if (failure !== undefined) return `module ${module} failed to load: ${failure}`;
    if (!this.loaded.has(module)) return `module ${module} is not loaded (load the board's modules before building it)`;
    return `module ${module} does not provide type "${type}"`;
  }

  private register(name: string, exports: unknown): void {
    const module = exports as EngineModule;
    for (const [type, factory] of Object.entries(module.devices ?? {})) this.deviceFactories.set(type, factory);
    for (const [type, factory] of Object.entries(module.cpus ?? {})) this.cpuFactories.set(type, factory);
    this.loaded.set(name, module);
  }
}

/** The engine modules a board's types need, without duplicates. */
export function boardModules(board: BoardObjects): string[] {
  const names = new Set<string>();
  for (const object of board.objects) {
    const module = object.composite ? undefined : effectiveType(object.type)?.module;
    if (module !== undefined) names.add(module);
  }
  return [...names];
}

/** The registry the engine uses unless a caller (a test) passes its own. */
export const engineModules = new ModuleRegistry();
