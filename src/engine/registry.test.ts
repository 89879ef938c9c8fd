import { describe, expect, it } from 'vitest';
import { catalogModules, isA, listTypes, resolveBoard, unavailableTypeProblems, type BoardDocument, type ResolvedBoard } from '../graph/index.ts';
import { ControllerError } from './controller-error.ts';
import { RunController } from './run-control.ts';
import { Machine } from './machine.ts';
import { boardModules, importEngineModule, ModuleRegistry } from './registry.ts';

function resolved(document: BoardDocument): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.board;
}

const ledBoard: BoardDocument = {
  boardlab: 1,
  name: 'lamp',
  objects: {
    ram: { type: 'ram', props: { size: '4K' } },
    led0: { type: 'led' },
  },
  memory: [{ map: 'ram.mem', at: '0x80000000' }],
};

/** The real importer, except that one module fails as a chunk that cannot be fetched would. */
const failing =
  (broken: string): ((name: string) => Promise<unknown>) =>
  (name) =>
    name === broken ? Promise.reject(new Error('Failed to fetch dynamically imported module')) : importEngineModule(name);

describe('the engine registry', () => {
  it('loads every module the catalog names, and each provides the factories of its device types', async () => {
    const registry = new ModuleRegistry();
    const statuses = await registry.loadCatalogModules();
    for (const [name, status] of statuses) expect(status, name).toEqual({ available: true });
    const deviceTypes = listTypes({ abstract: false }).filter((t) => !isA(t.name, 'cpu'));
    expect(deviceTypes.length).toBeGreaterThan(5);
    for (const type of deviceTypes) expect(registry.deviceFactory(type.name), type.name).toBeTypeOf('function');
  });

  it('has no factory before a module loads, and says why', async () => {
    const registry = new ModuleRegistry();
    expect(registry.deviceFactory('led')).toBeUndefined();
    expect(registry.missingReason('led')).toBe("module engine/devices/led is not loaded (load the board's modules before building it)");
    expect(() => Machine.build(resolved(ledBoard), new Map(), { modules: registry })).toThrow(/\/machine\/ram: no engine model for type "ram": module engine\/devices\/ram is not loaded/);
    await registry.loadBoardModules(resolved(ledBoard));
    expect(Machine.build(resolved(ledBoard), new Map(), { modules: registry }).deviceTypes.get('/machine/led0')).toBe('led');
  });

  it('loads only the modules a board uses, each once', async () => {
    const imported: string[] = [];
    const registry = new ModuleRegistry((name) => {
      imported.push(name);
      return importEngineModule(name);
    });
    expect(boardModules(resolved(ledBoard)).sort()).toEqual(['engine/devices/led', 'engine/devices/ram']);
    await Promise.all([registry.loadBoardModules(resolved(ledBoard)), registry.loadBoardModules(resolved(ledBoard))]);
    await registry.loadBoardModules(resolved(ledBoard));
    expect(imported.sort()).toEqual(['engine/devices/led', 'engine/devices/ram']);
  });

  it('a module that fails to load makes its types unavailable with the reason; other boards still build', async () => {
    const registry = new ModuleRegistry(failing('engine/devices/led'));
    const board = resolved(ledBoard);
    const statuses = await registry.loadBoardModules(board);
    expect(statuses.get('engine/devices/led')).toEqual({ available: false, reason: 'module engine/devices/led failed to load: Failed to fetch dynamically imported module' });
    expect(statuses.get('engine/devices/ram')).toEqual({ available: true });
    expect(unavailableTypeProblems(board.objects, statuses)).toEqual([
      {
        pointer: '/objects/led0',
        message: 'type "led" of /machine/led0 is unavailable: module engine/devices/led failed to load: Failed to fetch dynamically imported module',
        hint: 'The board is valid, but this build cannot run it; reload, or check the engine module.',
      },
    ]);
    expect(() => Machine.build(board, new Map(), { modules: registry })).toThrow(/no engine model for type "led": module engine\/devices\/led failed to load/);
    const noLed = resolved({ ...ledBoard, objects: { ram: ledBoard.objects!.ram } });
    await registry.loadBoardModules(noLed);
    expect(Machine.build(noLed, new Map(), { modules: registry }).devices.has('/machine/ram')).toBe(true);
  });

  it('QMP x-exit-preconfig refuses a board whose module fails, naming the object, and stays in preconfig', async () => {
    const registry = new ModuleRegistry(failing('engine/devices/led'));
    const controller = RunController.preconfig(ledBoard, { machine: { modules: registry } });
    const exit = controller.exitPreconfig();
    await expect(exit).rejects.toThrow(ControllerError);
    await expect(exit).rejects.toThrow('type "led" of /machine/led0 is unavailable: module engine/devices/led failed to load: Failed to fetch dynamically imported module (at /objects/led0)');
    expect(controller.machine).toBeUndefined();
  });

  it('tries a failed module again on the next load (a network error may pass)', async () => {
    let fail = true;
    const registry = new ModuleRegistry((name) => (fail ? Promise.reject(new Error('offline')) : importEngineModule(name)));
    expect(await registry.load('engine/devices/led')).toEqual({ available: false, reason: 'module engine/devices/led failed to load: offline' });
    fail = false;
    expect(await registry.load('engine/devices/led')).toEqual({ available: true });
    expect(registry.deviceFactory('led')).toBeTypeOf('function');
  });

  it('reports a module name the build does not have, without throwing', async () => {
    const registry = new ModuleRegistry();
    const statuses = await registry.loadAll(['engine/nowhere', 'engine/devices/no-such-device']);
    expect(statuses.get('engine/nowhere')).toEqual({ available: false, reason: 'module engine/nowhere failed to load: no engine module named "engine/nowhere" in this build' });
    expect(statuses.get('engine/devices/no-such-device')?.available).toBe(false);
  });

  it('every catalog module name is one the importer understands', () => {
    for (const name of catalogModules().keys()) expect(name).toMatch(/^engine\/(devices|cpu)\/[a-z0-9][a-z0-9-]*$/);
  });
});
