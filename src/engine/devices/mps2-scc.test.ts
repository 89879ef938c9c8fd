import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../state.ts';
import {
  CFGCTRL_START,
  CFGCTRL_WRITE,
  CFGCTRL_FUNCTION_SHIFT,
  CFGSTAT_DONE,
  CFGSTAT_ERROR,
  Mps2Scc,
  SCC_AID,
  SCC_CFG0,
  SCC_CFG1,
  SCC_CFG3,
  SCC_CFG4,
  SCC_CFGCTRL,
  SCC_CFGDATA_OUT,
  SCC_CFGDATA_RTN,
  SCC_CFGSTAT,
  SCC_DLL,
  SCC_ID,
} from './mps2-scc.ts';
import { privateRam } from './device.ts';

function makeScc(props: Record<string, number> = {}) {
  return new Mps2Scc({ path: '/machine/scc', props, allocateRam: privateRam });
}

const OSCCLK_READ = (device: number) => CFGCTRL_START | (1 << CFGCTRL_FUNCTION_SHIFT) | device;

describe('mps2-scc', () => {
  it('identifies AN385 as QEMU: ID 0x41043850, AID 0x00200008, CFG4 2; CFGCTRL 0x100000 and DLL 0xffff0001 after reset', () => {
    const scc = makeScc();
    expect(scc.read(SCC_ID, 4)).toBe(0x41043850);
    expect(scc.read(SCC_AID, 4)).toBe(0x00200008);
    expect(scc.read(SCC_CFG4, 4)).toBe(2);
    expect(scc.read(SCC_CFGCTRL, 4)).toBe(0x100000);
    expect(scc.read(SCC_DLL, 4)).toBe(0xffff0001);
    expect(scc.read(SCC_CFG3, 4)).toBe(0);
  });

  it('mps2-scc.scc-id: the ID register reads it', () => {
    expect(makeScc({ 'scc-id': 0x41045110 }).read(SCC_ID, 4)).toBe(0x41045110);
    expect(makeScc().read(SCC_ID, 4)).toBe(0x41043850);
  });

  it('mps2-scc.scc-aid: the AID register reads it', () => {
    expect(makeScc({ 'scc-aid': 0x12345678 }).read(SCC_AID, 4)).toBe(0x12345678);
  });

  it('mps2-scc.scc-cfg4: the read-only CFG4 register reads it', () => {
    const scc = makeScc({ 'scc-cfg4': 5 });
    scc.write(SCC_CFG4, 9, 4);
    expect(scc.read(SCC_CFG4, 4)).toBe(5);
  });

  it('CFG0 and CFG1 read as written; DLL keeps only its top byte', () => {
    const scc = makeScc();
    scc.write(SCC_CFG0, 1, 4);
    scc.write(SCC_CFG1, 0xff, 4);
    scc.write(SCC_DLL, 0x12345678, 4);
    expect([scc.read(SCC_CFG0, 4), scc.read(SCC_CFG1, 4), scc.read(SCC_DLL, 4)]).toEqual([1, 0xff, 0x12ff0001]);
  });

  it('SYS_CFG reads the oscillator clocks (50 MHz, 24.576 MHz, 25 MHz), sets them, and errors on another function or device', () => {
    const scc = makeScc();
    const clocks = [0, 1, 2].map((device) => {
      scc.write(SCC_CFGCTRL, OSCCLK_READ(device), 4);
      expect(scc.read(SCC_CFGSTAT, 4)).toBe(CFGSTAT_DONE);
      return scc.read(SCC_CFGDATA_RTN, 4);
    });
    expect(clocks).toEqual([50_000_000, 24_576_000, 25_000_000]);
    expect(scc.read(SCC_CFGCTRL, 4)).toBe(OSCCLK_READ(2) & ~CFGCTRL_START);
    scc.write(SCC_CFGDATA_OUT, 12_000_000, 4);
    scc.write(SCC_CFGCTRL, OSCCLK_READ(0) | CFGCTRL_WRITE, 4);
    scc.write(SCC_CFGCTRL, OSCCLK_READ(0), 4);
    expect(scc.read(SCC_CFGDATA_RTN, 4)).toBe(12_000_000);
    scc.write(SCC_CFGCTRL, OSCCLK_READ(3), 4);
    expect(scc.read(SCC_CFGSTAT, 4)).toBe(CFGSTAT_DONE | CFGSTAT_ERROR);
    scc.write(SCC_CFGCTRL, CFGCTRL_START | (2 << CFGCTRL_FUNCTION_SHIFT), 4);
    expect(scc.read(SCC_CFGSTAT, 4)).toBe(CFGSTAT_DONE | CFGSTAT_ERROR);
    // Writing CFGCTRL without START clears CFGSTAT.
    scc.write(SCC_CFGCTRL, 0, 4);
    expect(scc.read(SCC_CFGSTAT, 4)).toBe(0);
  });

  it('saves and restores, oscillator clocks included; reset restores them', () => {
    const scc = makeScc();
    scc.write(SCC_CFGDATA_OUT, 1234, 4);
    scc.write(SCC_CFGCTRL, OSCCLK_READ(1) | CFGCTRL_WRITE, 4);
    const other = makeScc();
    loadState(other, saveState(scc));
    other.write(SCC_CFGCTRL, OSCCLK_READ(1), 4);
    expect(other.read(SCC_CFGDATA_RTN, 4)).toBe(1234);
    other.reset();
    other.write(SCC_CFGCTRL, OSCCLK_READ(1), 4);
    expect(other.read(SCC_CFGDATA_RTN, 4)).toBe(24_576_000);
  });
});
