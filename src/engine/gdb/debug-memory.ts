// Guest memory as a debugger sees it: virtual addresses translated as the core would (its debug
// contract's translate: page tables, without side effects), RAM/ROM read and written directly (ROM too, as a
// debugger may patch it), MMIO through the device handlers. Nothing here throws for a bad address:
// reads and writes stop at the first byte that hits nothing and say how far they got.
import type { CpuDebug } from '../cpu/contract.ts';

const PAGE = 4096;

/** Read up to `length` bytes at virtual address `va`; fewer when a byte hits no memory. */
export function debugRead(cpu: CpuDebug, va: number, length: number): Uint8Array {
  const { space } = cpu;
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const address = (va + done) >>> 0;
    const pa = cpu.translate(address);
    if (pa === undefined) break;
    const inPage = Math.min(length - done, PAGE - (address % PAGE));
    const ram = space.findRam(pa, 1);
    if (ram !== undefined) {
      const n = Math.min(inPage, ram.end - pa);
      out.set(ram.u8.subarray(pa - ram.base, pa - ram.base + n), done);
      done += n;
      continue;
    }
    // MMIO: whole aligned words where possible (some devices refuse narrow accesses), else bytes.
    try {
      if (pa % 4 === 0 && inPage >= 4) {
        const word = space.load(pa, 4);
        for (let i = 0; i < 4; i++) out[done + i] = (word >>> (8 * i)) & 0xff;
        done += 4;
      } else {
        out[done] = space.load(pa, 1);
        done += 1;
      }
    } catch {
      break;
    }
  }
  return out.subarray(0, done);
}

/** Write bytes at virtual address `va`; returns how many were written before one hit no memory. */
export function debugWrite(cpu: CpuDebug, va: number, data: Uint8Array): number {
  const { space } = cpu;
  let done = 0;
  while (done < data.length) {
    const address = (va + done) >>> 0;
    const pa = cpu.translate(address);
    if (pa === undefined) break;
    const inPage = Math.min(data.length - done, PAGE - (address % PAGE));
    const ram = space.findRam(pa, 1);
    try {
      if (ram !== undefined) {
        const n = Math.min(inPage, ram.end - pa);
        space.writeBytes(pa, data.subarray(done, done + n)); // tells the CPUs, which drop decoded code there
        done += n;
      } else if (pa % 4 === 0 && inPage >= 4) {
        space.store(pa, data[done] | (data[done + 1] << 8) | (data[done + 2] << 16) | (data[done + 3] << 24), 4);
        done += 4;
      } else {
        space.store(pa, data[done], 1);
        done += 1;
      }
    } catch {
      break;
    }
  }
  return done;
}
