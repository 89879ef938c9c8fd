// Guest memory as a debugger sees it: virtual addresses translated through the hart's Sv32 page
// tables when it runs with translation on, RAM/ROM read and written directly (ROM too, as a
// debugger may patch it), MMIO through the device handlers. Nothing here throws for a bad address:
// reads and writes stop at the first byte that hits nothing and say how far they got.
import { PRIV_M, PTE_R, PTE_V, PTE_W, PTE_X, SATP_MODE_SV32, SATP_PPN_MASK } from '../cpu/csr.ts';
import { Csr } from '../cpu/csr.ts';
import type { Rv32Cpu } from '../cpu/rv32.ts';
import type { AddressSpace } from '../memory.ts';

const PAGE = 4096;

/** Physical address of `va` for a debugger access by this hart, or undefined when it is not mapped. */
export function debugTranslate(cpu: Rv32Cpu, space: AddressSpace, va: number): number | undefined {
  va >>>= 0;
  let satp: number;
  try {
    satp = cpu.readCsr(Csr.SATP);
  } catch {
    return va; // no S-mode, no translation
  }
  if ((satp & SATP_MODE_SV32) === 0 || cpu.privilege === PRIV_M) return va;
  let table = (satp & SATP_PPN_MASK) * PAGE;
  for (let level = 1; level >= 0; level--) {
    const vpn = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
    const pteAddress = table + vpn * 4;
    if (pteAddress >= 0x1_0000_0000) return undefined;
    let pte: number;
    try {
      pte = space.load(pteAddress, 4);
    } catch {
      return undefined;
    }
    if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) return undefined;
    const ppn = pte >>> 10;
    if ((pte & (PTE_R | PTE_X)) !== 0) {
      const pa = level === 1 ? (ppn >>> 10) * 0x40_0000 + (va & 0x3f_ffff) : ppn * PAGE + (va & 0xfff);
      if (level === 1 && (ppn & 0x3ff) !== 0) return undefined; // misaligned superpage
      return pa < 0x1_0000_0000 ? pa : undefined;
    }
    table = ppn * PAGE;
  }
  return undefined;
}

/** Read up to `length` bytes at virtual address `va`; fewer when a byte hits no memory. */
export function debugRead(cpu: Rv32Cpu, space: AddressSpace, va: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const address = (va + done) >>> 0;
    const pa = debugTranslate(cpu, space, address);
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
export function debugWrite(cpu: Rv32Cpu, space: AddressSpace, va: number, data: Uint8Array): number {
  let done = 0;
  while (done < data.length) {
    const address = (va + done) >>> 0;
    const pa = debugTranslate(cpu, space, address);
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
