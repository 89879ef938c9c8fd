// Names of the Thumb assembler's registers, condition codes and special registers as GNU as
// (binutils, `arm-none-eabi-as`) accepts them in unified syntax: case-insensitive.

export const SP = 13;
export const LR = 14;
export const PC = 15;

const REGISTERS: ReadonlyMap<string, number> = new Map([
  ...Array.from({ length: 16 }, (_, i) => [`r${i}`, i] as const),
  ['a1', 0], ['a2', 1], ['a3', 2], ['a4', 3],
  ['v1', 4], ['v2', 5], ['v3', 6], ['v4', 7], ['v5', 8], ['v6', 9], ['v7', 10], ['v8', 11],
  ['sb', 9], ['sl', 10], ['fp', 11], ['ip', 12], ['sp', SP], ['lr', LR], ['pc', PC],
]);

/** The register a name denotes (`r4`, `sp`, `ip`…), or undefined. */
export function registerNumber(name: string): number | undefined {
  return REGISTERS.get(name.toLowerCase());
}

/** Condition codes by their 4-bit encoding; `hs`/`lo` are aliases of `cs`/`cc`. */
const CONDITIONS: ReadonlyMap<string, number> = new Map([
  ['eq', 0], ['ne', 1], ['cs', 2], ['hs', 2], ['cc', 3], ['lo', 3], ['mi', 4], ['pl', 5], ['vs', 6], ['vc', 7],
  ['hi', 8], ['ls', 9], ['ge', 10], ['lt', 11], ['gt', 12], ['le', 13], ['al', 14],
]);

export const COND_AL = 14;

export function conditionNumber(name: string): number | undefined {
  return CONDITIONS.get(name.toLowerCase());
}

/** Special registers of MRS/MSR (ARMv7-M ARM B5.1.1), by the SYSm field. */
const SPECIAL_REGISTERS: ReadonlyMap<string, number> = new Map([
  ['apsr', 0], ['iapsr', 1], ['eapsr', 2], ['xpsr', 3], ['psr', 3], ['ipsr', 5], ['epsr', 6], ['iepsr', 7],
  ['msp', 8], ['psp', 9], ['primask', 16], ['basepri', 17], ['basepri_max', 18], ['faultmask', 19], ['control', 20],
]);

/** Special registers that exist only on ARMv7-M (ARMv6-M has no BASEPRI or FAULTMASK). */
export const V7M_ONLY_SPECIAL_REGISTERS: ReadonlySet<number> = new Set([17, 18, 19]);

export function specialRegisterNumber(name: string): number | undefined {
  return SPECIAL_REGISTERS.get(name.toLowerCase());
}

/** DMB/DSB/ISB options by name (A7.7.33). */
const BARRIER_OPTIONS: ReadonlyMap<string, number> = new Map([
  ['sy', 15], ['st', 14], ['ld', 13], ['ish', 11], ['ishst', 10], ['ishld', 9], ['nsh', 7], ['un', 7],
  ['nshst', 6], ['unst', 6], ['nshld', 5], ['osh', 3], ['oshst', 2], ['oshld', 1],
]);

export function barrierOption(name: string): number | undefined {
  return BARRIER_OPTIONS.get(name.toLowerCase());
}

export const SHIFT_TYPES: ReadonlyMap<string, number> = new Map([['lsl', 0], ['lsr', 1], ['asr', 2], ['ror', 3]]);
