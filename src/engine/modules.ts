// Engine modules by the names the type catalog uses. Each loads on demand (its own chunk in the
// browser build); a module that fails to load makes its types unavailable — reported in
// introspection and validation, never a crash.

export type ModuleLoader = () => Promise<unknown>;

export const moduleLoaders: Readonly<Record<string, ModuleLoader>> = {
  'engine/cpu/riscv': () => import('./cpu/riscv/index.ts'),
  'engine/devices/ram': () => import('./devices/ram.ts'),
  'engine/devices/ns16550a': () => import('./devices/ns16550a.ts'),
  'engine/devices/sifive-test': () => import('./devices/sifive-test.ts'),
  'engine/devices/clint': () => import('./devices/clint.ts'),
  'engine/devices/plic': () => import('./devices/plic.ts'),
  'engine/devices/gpio': () => import('./devices/gpio.ts'),
  'engine/devices/led': () => import('./devices/led.ts'),
  'engine/devices/button': () => import('./devices/button.ts'),
  'engine/devices/framebuffer': () => import('./devices/framebuffer.ts'),
  'engine/devices/boot-rom': () => import('./devices/boot-rom.ts'),
};

export type ModuleStatus = { available: true } | { available: false; reason: string };

/** Try to load each module; say which load and why the others do not. */
export async function probeModules(names: Iterable<string>, loaders: Readonly<Record<string, ModuleLoader>> = moduleLoaders): Promise<Map<string, ModuleStatus>> {
  const statuses = new Map<string, ModuleStatus>();
  for (const name of names) {
    const loader = loaders[name];
    if (loader === undefined) {
      statuses.set(name, { available: false, reason: `no engine module named "${name}" in this build` });
      continue;
    }
    try {
      await loader();
      statuses.set(name, { available: true });
    } catch (error) {
      statuses.set(name, { available: false, reason: `module ${name} failed to load: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return statuses;
}
