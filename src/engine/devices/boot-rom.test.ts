import { describe, expect, it } from 'vitest';
import { BOOT_ROM_SIZE, BootRom, FW_DYNAMIC_INFO_MAGIC, RESET_VECTOR_CODE } from './boot-rom.ts';
import { privateRam, type BootContext } from './device.ts';

function rom(fdt = true): BootRom {
  return new BootRom({ path: '/machine/mrom', props: { fdt }, allocateRam: privateRam });
}

const words = (data: Uint8Array) => Array.from({ length: data.length / 4 }, (_, i) => new DataView(data.buffer, data.byteOffset).getUint32(i * 4, true));
const dtb = new Uint8Array([0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 8]);

function context(extra: Partial<BootContext> = {}): BootContext {
  return { entry: 0x8020_0000, ram: { base: 0x8000_0000, size: 128 * 1024 * 1024 }, regionBase: (name) => (name === 'mem' ? 0x1000 : undefined), deviceTree: () => dtb, ...extra };
}

describe('boot ROM', () => {
  it('offers boot information and builds its own contents: reset code, entry, device tree address, fw_dynamic_info', () => {
    const device = rom();
    expect(device.capabilities.boot).toBe(device);
    expect(device.regions.get('mem')).toMatchObject({ kind: 'ram', readOnly: true });
    expect(device.regions.get('mem')).toMatchObject({ byteOffset: 0, byteLength: BOOT_ROM_SIZE });
    const [tree, code] = device.bootImages(context());
    // QEMU's place for the device tree: 2 MiB aligned below the top of RAM.
    expect(tree).toEqual({ name: '(device tree)', address: 0x87e0_0000, data: dtb });
    expect(code.name).toBe('(boot ROM)');
    expect(code.address).toBe(0x1000);
    expect(words(code.data)).toEqual([...RESET_VECTOR_CODE, 0x8020_0000, 0, 0x87e0_0000, 0, FW_DYNAMIC_INFO_MAGIC, 2, 0x8020_0000, 1, 0, 0]);
  });

  it('enters at the boot RAM without an entry point, passes no device tree with fdt off, and boots nothing when not mapped', () => {
    const [code] = rom(false).bootImages(context({ entry: undefined, deviceTree: () => { throw new Error('not asked for'); } }));
    expect(words(code.data).slice(RESET_VECTOR_CODE.length, RESET_VECTOR_CODE.length + 4)).toEqual([0x8000_0000, 0, 0, 0]);
    expect(rom().bootImages(context({ regionBase: () => undefined }))).toEqual([]);
  });
});
