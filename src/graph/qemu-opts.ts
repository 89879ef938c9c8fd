// QEMU's option syntax (QemuOpts, util/qemu-option.c) and a splitter for QEMU command lines.
//
// QemuOpts text is a comma-separated list of `key=value`. A comma inside a value is written `,,`.
// With an implied key (`-device ns16550a,id=uart1`, implied key `driver`), the first element may be
// a bare value. Elsewhere a bare `key` means `key=on` and a bare `nokey` means `key=off` — QEMU still
// accepts these short-form booleans but warns that they are deprecated. Typed accessors parse values
// the way QEMU does: booleans as qapi_bool_parse, sizes as qemu_strtosz, numbers as qemu_strtou64.
//
// Behaviour was checked against QEMU's source (util/qemu-option.c, util/cutils.c,
// qapi/qapi-util.c, softmmu/vl.c) and against Debian's qemu-system-riscv32 7.2; the notes beside
// each function say where BoardLab deliberately differs.

export interface QemuOpt {
  key: string;
  value: string;
}

/** An ordered list of options, duplicates kept (the last one wins, as qemu_opt_get). */
export type QemuOpts = QemuOpt[];

export class QemuOptsError extends Error {
  /** Extra advice, as QEMU's error hints. */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'QemuOptsError';
    if (hint !== undefined) this.hint = hint;
  }
}

export interface QemuOptsParseOptions {
  /** Receives QEMU's deprecation warnings (short-form booleans). */
  readonly onWarning?: (message: string) => void;
  /**
   * Accept short-form booleans (`key`, `nokey`). Default true, as QemuOpts. QEMU parses -machine
   * with its stricter keyval parser, which rejects them ("Expected '=' after parameter 'x'").
   */
  readonly shortBooleans?: boolean;
}

function isHelp(name: string): boolean {
  return name === 'help' || name === '?';
}

/** get_opt_value: read a value up to a single comma, turning `,,` into `,`. Returns [value, end]. */
function readValue(text: string, start: number): [string, number] {
  let value = '';
  let i = start;
  for (;;) {
    const comma = text.indexOf(',', i);
    if (comma < 0) return [value + text.slice(i), text.length];
    if (text[comma + 1] === ',') {
      value += text.slice(i, comma + 1);
      i = comma + 2;
    } else {
      return [value + text.slice(i, comma), comma];
    }
  }
}

/**
 * Parse QemuOpts text into an ordered list. Empty text gives an empty list. A trailing comma is
 * allowed, as in QEMU. Throws QemuOptsError "Invalid parameter ''" for an empty key (`,,` where a
 * key belongs, `=value`, a leading comma without an implied key).
 *
 * Like QEMU, any bare name starting with "no" is a negated flag: `node` means `de=off`.
 * Unlike QEMU, `id` stays in the list as an ordinary option (QEMU moves it to QemuOpts.id).
 */
export function parseQemuOpts(text: string, impliedKey?: string, options: QemuOptsParseOptions = {}): QemuOpts {
  const opts: QemuOpts = [];
  const shortBooleans = options.shortBooleans ?? true;
  let first = true;
  let p = 0;
  while (p < text.length) {
    // strcspn(params, "=,")
    let len = 0;
    while (p + len < text.length && text[p + len] !== '=' && text[p + len] !== ',') len++;
    let key: string;
    let value: string;
    if (text[p + len] !== '=') {
      if (first && impliedKey !== undefined) {
        key = impliedKey;
        [value, p] = readValue(text, p);
      } else {
        const name = text.slice(p, p + len);
        p += len;
        if (!shortBooleans) throw new QemuOptsError(`Expected '=' after parameter '${name}'`);
        if (name.startsWith('no')) {
          key = name.slice(2);
          value = 'off';
        } else {
          key = name;
          value = 'on';
        }
        if (!isHelp(key) && options.onWarning !== undefined) {
          options.onWarning(`short-form boolean option '${name}' deprecated; please use ${key}=${value} instead`);
        }
      }
    } else {
      key = text.slice(p, p + len);
      [value, p] = readValue(text, p + len + 1);
    }
    if (key === '') throw new QemuOptsError("Invalid parameter ''");
    opts.push({ key, value });
    first = false;
    if (text[p] === ',') p++;
  }
  return opts;
}

/** The value of the last option named `key` (qemu_opt_get), or undefined. */
export function optGet(opts: readonly QemuOpt[], key: string): string | undefined {
  for (let i = opts.length - 1; i >= 0; i--) if (opts[i].key === key) return opts[i].value;
  return undefined;
}

function escapeValue(value: string): string {
  return value.replace(/,/g, ',,');
}

/** True if `value` printed bare as the first element reads back as the implied key's value. */
function printsBare(value: string): boolean {
  if (value === '') return false;
  const eq = value.indexOf('=');
  const comma = value.indexOf(',');
  return eq < 0 || (comma >= 0 && comma < eq);
}

/**
 * Print options as QemuOpts text (the inverse of parseQemuOpts): commas in values are doubled, and
 * the implied key's value is printed bare when it comes first and can be read back unambiguously.
 * parseQemuOpts(printQemuOpts(x, k), k) equals x. Throws QemuOptsError for a key that cannot be
 * written (empty, or containing ',' or '=').
 */
export function printQemuOpts(opts: readonly QemuOpt[], impliedKey?: string): string {
  return opts
    .map(({ key, value }, index) => {
      if (key === '' || key.includes(',') || key.includes('=')) {
        throw new QemuOptsError(`Invalid parameter '${key}'`, "An option name must be non-empty and contain neither ',' nor '='.");
      }
      if (index === 0 && key === impliedKey && printsBare(value)) return escapeValue(value);
      return `${key}=${escapeValue(value)}`;
    })
    .join(',');
}

// ---------------------------------------------------------------------------------------------
// Typed values

/**
 * A boolean as qapi_bool_parse: on/yes/true/y → true, off/no/false/n → false (case-sensitive).
 * Anything else: "Parameter 'name' expects 'on' or 'off'".
 */
export function optBool(value: string, name = 'value'): boolean {
  if (value === 'on' || value === 'yes' || value === 'true' || value === 'y') return true;
  if (value === 'off' || value === 'no' || value === 'false' || value === 'n') return false;
  throw new QemuOptsError(`Parameter '${name}' expects 'on' or 'off'`);
}

const U64_LIMIT = 1n << 64n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

interface Scanned {
  /** strtoull's result (negated modulo 2^64 for a leading '-'). */
  readonly value: bigint;
  /** Index just past the digits, or the start when nothing was converted. */
  readonly end: number;
  readonly converted: boolean;
  readonly overflow: boolean;
  readonly negative: boolean;
}

function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

function digitValue(c: string | undefined): number {
  if (c === undefined) return 99;
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

/** glibc strtoull(text + start, &end, base) for base 0, 10 or 16. */
function strtoull(text: string, start: number, base: 0 | 10 | 16): Scanned {
  let i = start;
  while (isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let radix: number = base;
  const hexPrefix = text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && digitValue(text[i + 2]) < 16;
  if ((base === 0 || base === 16) && hexPrefix) {
    radix = 16;
    i += 2;
  } else if (base === 0) {
    radix = text[i] === '0' ? 8 : 10;
  }
  const digitsStart = i;
  let value = 0n;
  const r = BigInt(radix);
  while (digitValue(text[i]) < radix) {
    value = value * r + BigInt(digitValue(text[i]));
    i++;
  }
  if (i === digitsStart) return { value: 0n, end: start, converted: false, overflow: false, negative: false };
  const overflow = value >= U64_LIMIT;
  if (overflow) value = U64_LIMIT - 1n;
  else if (negative) value = (U64_LIMIT - value) % U64_LIMIT;
  return { value, end: i, converted: true, overflow, negative };
}

function suffixMultiplier(c: string | undefined): bigint {
  switch (c?.toUpperCase()) {
    case 'B': return 1n;
    case 'K': return 1n << 10n;
    case 'M': return 1n << 20n;
    case 'G': return 1n << 30n;
    case 'T': return 1n << 40n;
    case 'P': return 1n << 50n;
    case 'E': return 1n << 60n;
    default: return -1n;
  }
}

type StrtoszResult = { readonly ok: true; readonly value: bigint } | { readonly ok: false; readonly error: 'invalid' | 'range' };

/**
 * qemu_strtosz (do_strtosz with unit 1024): a decimal integer, optionally with a fraction, or a
 * hexadecimal integer; then an optional suffix B/K/M/G/T/P/E (either case) — `defaultSuffix` applies
 * without one. A fraction needs a scale other than bytes; results are rounded to the nearest byte.
 * Negative numbers and exponents are invalid; results of 2^64 and more are out of range.
 * QEMU 7.2 accepted a suffix after a hexadecimal number with a deprecation warning; QEMU 8.0
 * rejects it, and so does BoardLab.
 */
function strtosz(text: string, defaultSuffix: 'B' | 'M'): StrtoszResult {
  const invalid: StrtoszResult = { ok: false, error: 'invalid' };
  let scan = strtoull(text, 0, 10);
  if (!scan.converted) return invalid;
  if (scan.overflow) return text.slice(scan.end) === '' ? { ok: false, error: 'range' } : invalid;
  if (text.slice(0, scan.end).includes('-')) return invalid;
  let end = scan.end;
  let fraction = 0n; // 64-bit fixed point
  if (scan.value === 0n && (text[end] === 'x' || text[end] === 'X')) {
    scan = strtoull(text, 0, 16);
    end = scan.end;
    if (!scan.converted || scan.overflow) return scan.overflow && text.slice(end) === '' ? { ok: false, error: 'range' } : invalid;
    if (text[end] === '.' || suffixMultiplier(text[end]) > 0n) return invalid;
  } else if (text[end] === '.') {
    const m = /^\.([0-9]+)([eE][+-]?[0-9]+)?/.exec(text.slice(end));
    if (m === null) {
      end++; // strtod found no number: QEMU skips the '.' (so "1.k" is 1 KiB)
    } else if (m[2] !== undefined) {
      return invalid;
    } else {
      const f = Number(`0.${m[1]}`);
      const fixed = BigInt(Math.trunc(f * 2 ** 64));
      fraction = fixed >= U64_LIMIT ? U64_LIMIT - 1n : fixed;
      end += m[0].length;
    }
  }
  let multiplier = suffixMultiplier(text[end]);
  if (multiplier > 0n) end++;
  else multiplier = suffixMultiplier(defaultSuffix);
  if (end !== text.length) return invalid;
  let result = scan.value;
  if (multiplier === 1n) {
    if (fraction !== 0n) return invalid;
  } else {
    const low = fraction * multiplier;
    result = scan.value * multiplier + (low >> 64n) + ((low >> 63n) & 1n);
    if (result >= U64_LIMIT) return { ok: false, error: 'range' };
  }
  return { ok: true, value: result };
}

const SIZE_HINT = 'Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.';

/** A size in bytes (0 .. 2^64-1) as a bigint; see optSize. */
export function optSizeBig(value: string, name = 'size'): bigint {
  const r = strtosz(value, 'B');
  if (r.ok) return r.value;
  if (r.error === 'range') throw new QemuOptsError(`Value '${value}' is out of range for parameter '${name}'`);
  throw new QemuOptsError(`Parameter '${name}' expects a non-negative number below 2^64`, SIZE_HINT);
}

function toSafeNumber(n: bigint, value: string, name: string): number {
  if (n > MAX_SAFE) {
    throw new QemuOptsError(`Value '${value}' is too large for parameter '${name}'`, 'BoardLab handles values up to 2^53-1.');
  }
  return Number(n);
}

/**
 * A size in bytes, as QEMU's size options (parse_option_size → qemu_strtosz): "4096", "0x1000",
 * "64K", "64k", "1.5G", "512B". Suffixes are powers of 1024. Errors use QEMU's wording:
 * "Parameter 'size' expects a non-negative number below 2^64" (garbage, negative, fraction of a
 * byte) and "Value 'x' is out of range for parameter 'size'" (2^64 and above). Sizes above
 * 2^53-1 are rejected because they do not fit a JS number (use optSizeBig).
 */
export function optSize(value: string, name = 'size'): number {
  return toSafeNumber(optSizeBig(value, name), value, name);
}

/** An unsigned number (0 .. 2^64-1) as a bigint; see optNumber. */
export function optNumberBig(value: string, name = 'value'): bigint {
  const scan = strtoull(value, 0, 0);
  if (!scan.converted || scan.end !== value.length) throw new QemuOptsError(`Parameter '${name}' expects a number`);
  if (scan.overflow) throw new QemuOptsError(`Value '${value}' is too large for parameter '${name}'`);
  if (scan.negative) throw new QemuOptsError(`Parameter '${name}' expects a non-negative number`);
  return scan.value;
}

/**
 * An unsigned number as QEMU's number options (parse_option_number → qemu_strtou64, base 0):
 * decimal, 0x hexadecimal, 0-prefixed octal, optional leading whitespace and '+'. Errors:
 * "Parameter 'x' expects a number", "Value 'v' is too large for parameter 'x'". Unlike QEMU 7.2,
 * which wraps "-1" to 2^64-1, a negative number is rejected ("... expects a non-negative number").
 */
export function optNumber(value: string, name = 'value'): number {
  return toSafeNumber(optNumberBig(value, name), value, name);
}

// ---------------------------------------------------------------------------------------------
// Command lines

export interface QemuGlobal {
  readonly driver: string;
  readonly property: string;
  readonly value: string;
}

/** What a QEMU command line asks for, option by option; turning it into a board is another step. */
export interface QemuCommandLine {
  /** A leading qemu-system-* program name, if argv had one. */
  program?: string;
  /** Every -M/-machine option, merged in order (QEMU merges them); `type` is the machine type. */
  machine: QemuOpts;
  /** The machine type (the last `type`), if given. */
  machineType?: string;
  /** Every -m option, merged in order: size, maxmem, slots. */
  memoryOpts: QemuOpts;
  /**
   * RAM size in bytes as QEMU computes it: a size without a suffix counts MiB, the result is
   * rounded up to a multiple of 8 KiB. Undefined without -m or with size 0 (the machine default).
   */
  memoryBytes?: number;
  /** Every -smp option, merged in order: cpus, sockets, dies, clusters, cores, threads, maxcpus. */
  smp: QemuOpts;
  /** The explicit CPU count (-smp N or cpus=N), if given. */
  cpus?: number;
  /** -cpu MODEL[,props]: `model` first. The last -cpu wins. */
  cpu?: QemuOpts;
  /** -semihosting (enable=on) and -semihosting-config, merged in order; `enable` is the implied key. */
  semihosting: QemuOpts;
  /** Each -device, `driver` first (JSON form converted to options). */
  devices: QemuOpts[];
  /** Each -global, in order. */
  globals: QemuGlobal[];
  kernel?: string;
  append?: string;
  initrd?: string;
  dtb?: string;
  bios?: string;
  /** Each -serial SPEC, in order (serial0, serial1, ...). */
  serial: string[];
  /** -gdb SPEC (-s means tcp::1234). The last one wins. */
  gdb?: string;
  /** Each -qmp SPEC. */
  qmp: string[];
  display?: string;
  nographic: boolean;
  /** -S: do not start the CPUs. */
  startPaused: boolean;
  /** QEMU's deprecation warnings for what was accepted anyway. */
  warnings: string[];
}

const SMP_KEYS = ['cpus', 'sockets', 'dies', 'clusters', 'cores', 'threads', 'maxcpus'];
const GLOBAL_KEYS = ['driver', 'property', 'value'];
const MEMORY_KEYS = ['size', 'maxmem', 'slots'];

/** QEMU options BoardLab knows but does not take, so the error can say so. */
const UNSUPPORTED = new Set([
  'accel', 'audiodev', 'blockdev', 'boot', 'cdrom', 'chardev', 'D', 'd', 'daemonize', 'drive', 'enable-kvm',
  'fsdev', 'fw_cfg', 'hda', 'hdb', 'icount', 'incoming', 'L', 'loadvm', 'mem-path', 'mem-prealloc', 'mon',
  'monitor', 'msg', 'name', 'net', 'netdev', 'no-reboot', 'no-shutdown', 'numa', 'object', 'overcommit',
  'pflash', 'pidfile', 'plugin', 'readconfig', 'rtc', 'snapshot',
  'trace', 'usb', 'usbdevice', 'uuid', 'vga', 'virtfs', 'watchdog-action',
]);

/** Options that take an argument, with the canonical name results are keyed by. */
const WITH_ARGUMENT: Record<string, string> = {
  M: 'machine', machine: 'machine', m: 'm', smp: 'smp', cpu: 'cpu', device: 'device', global: 'global',
  kernel: 'kernel', append: 'append', initrd: 'initrd', dtb: 'dtb', bios: 'bios', serial: 'serial',
  gdb: 'gdb', qmp: 'qmp', display: 'display', 'semihosting-config': 'semihosting-config',
};
const FLAGS = new Set(['nographic', 'S', 's', 'semihosting']);
/** -semihosting-config keys (qemu-options.hx); BoardLab takes enable and target, and ignores the others with a warning. */
const SEMIHOSTING_KEYS = ['enable', 'target', 'chardev', 'userspace', 'arg'];

/** id_wellformed: a letter, then letters, digits, '-', '.', '_'. */
function isWellFormedId(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._-]*$/.test(id);
}

function deviceFromJson(arg: string): QemuOpts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(arg);
  } catch (error) {
    throw new QemuOptsError(`JSON parse error: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new QemuOptsError('JSON -device must be an object');
  }
  const opts: QemuOpts = [];
  for (const [key, v] of Object.entries(parsed)) {
    if (typeof v === 'string') opts.push({ key, value: v });
    else if (typeof v === 'number') opts.push({ key, value: String(v) });
    else if (typeof v === 'boolean') opts.push({ key, value: v ? 'on' : 'off' });
    else throw new QemuOptsError(`Parameter '${key}': BoardLab takes only strings, numbers and booleans in JSON -device`);
  }
  const driver = opts.findIndex((o) => o.key === 'driver');
  if (driver > 0) opts.unshift(...opts.splice(driver, 1));
  return opts;
}

function parseGlobal(arg: string): QemuGlobal {
  // qemu_global_option: "driver.property=value" first (value taken verbatim, no ',,' unescaping).
  const dotted = /^([^.=]+)\.([^=]+)=/.exec(arg);
  if (dotted !== null) return { driver: dotted[1], property: dotted[2], value: arg.slice(dotted[0].length) };
  const opts = parseQemuOpts(arg);
  for (const { key } of opts) if (!GLOBAL_KEYS.includes(key)) throw new QemuOptsError(`Invalid parameter '${key}'`);
  const driver = optGet(opts, 'driver');
  const property = optGet(opts, 'property');
  const value = optGet(opts, 'value');
  if (driver === undefined || property === undefined || value === undefined) {
    throw new QemuOptsError("options 'driver', 'property', and 'value' are required");
  }
  return { driver, property, value };
}

function memorySize(opts: QemuOpts): number | undefined {
  const size = optGet(opts, 'size');
  if (size === undefined || optSizeBig(size) === 0n) return undefined;
  // parse_memory_options: "Fix up legacy suffix-less format" — a size ending in a digit is MiB.
  const text = /[0-9]$/.test(size) ? `${size}M` : size;
  const r = strtosz(text, 'B');
  if (!r.ok) {
    if (r.error === 'range') throw new QemuOptsError(`Value '${text}' is out of range for parameter 'size'`);
    throw new QemuOptsError(
      "Parameter 'size' expects a non-negative number below 2^64",
      `-m without a suffix counts MiB, so QEMU reads '${size}' as '${text}', and a hexadecimal number cannot take a suffix. Write the size in decimal with a suffix, such as 256M.`,
    );
  }
  const aligned = ((r.value + 8191n) / 8192n) * 8192n; // QEMU rounds RAM up to 8 KiB
  return toSafeNumber(aligned, size, 'size');
}

function smpNumber(key: string, value: string): number {
  const scan = strtoull(value, 0, 0);
  if (!scan.converted || scan.end !== value.length || scan.overflow || scan.negative) {
    throw new QemuOptsError(`Parameter 'smp.${key}' expects integer`);
  }
  return toSafeNumber(scan.value, value, `smp.${key}`);
}

/**
 * Split a QEMU argument vector (without or with a leading qemu-system-* program name) into a
 * QemuCommandLine. Understands -M/-machine, -m, -smp, -cpu, -device, -global, -kernel, -append,
 * -initrd, -dtb, -bios, -serial, -gdb, -s, -qmp, -display, -nographic, -S, -semihosting and
 * -semihosting-config; `--name` works as
 * `-name`, as in QEMU. Errors are QemuOptsErrors prefixed with the option, as QEMU reports them:
 * "-m 1.5: Parameter 'size' expects a non-negative number below 2^64", "-device needs an argument",
 * "-frob: invalid option" (each names the option as it was written).
 */
export function parseQemuArgs(argv: readonly string[]): QemuCommandLine {
  const line: QemuCommandLine = {
    machine: [], memoryOpts: [], smp: [], devices: [], globals: [], serial: [], qmp: [], semihosting: [],
    nographic: false, startPaused: false, warnings: [],
  };
  const ids = new Set<string>();
  let i = 0;
  if (argv.length > 0 && /(^|\/)qemu-system-[^/]*$/.test(argv[0])) {
    line.program = argv[0];
    i = 1;
  }
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('-')) {
      throw new QemuOptsError(`${word}: unexpected argument`, 'QEMU would open a bare argument as a disk image; BoardLab boards take no disk images.');
    }
    const name = word.startsWith('--') ? word.slice(2) : word.slice(1);
    if (FLAGS.has(name)) {
      if (name === 'nographic') line.nographic = true;
      else if (name === 'S') line.startPaused = true;
      else if (name === 'semihosting') line.semihosting.push({ key: 'enable', value: 'on' });
      else line.gdb = 'tcp::1234';
      continue;
    }
    const option = WITH_ARGUMENT[name];
    if (option === undefined) {
      if (UNSUPPORTED.has(name)) throw new QemuOptsError(`${word}: not supported by BoardLab`);
      throw new QemuOptsError(`${word}: invalid option`);
    }
    if (i + 1 >= argv.length) throw new QemuOptsError(`${word} needs an argument`);
    const arg = argv[++i];
    const warn = (message: string): void => void line.warnings.push(`${word} ${arg}: ${message}`);
    try {
      switch (option) {
        case 'machine':
          // QEMU parses -machine with keyval, which has no short-form booleans.
          line.machine.push(...parseQemuOpts(arg, 'type', { shortBooleans: false }));
          break;
        case 'm': {
          const opts = parseQemuOpts(arg, 'size', { onWarning: warn });
          for (const { key, value } of opts) {
            if (!MEMORY_KEYS.includes(key)) throw new QemuOptsError(`Invalid parameter '${key}'`);
            if (key === 'slots') optNumberBig(value, key);
            else optSizeBig(value, key);
          }
          line.memoryOpts.push(...opts);
          break;
        }
        case 'smp': {
          const opts = parseQemuOpts(arg, 'cpus', { onWarning: warn });
          for (const { key, value } of opts) {
            if (!SMP_KEYS.includes(key)) throw new QemuOptsError(`Parameter 'smp.${key}' is unexpected`);
            smpNumber(key, value);
          }
          line.smp.push(...opts);
          break;
        }
        case 'cpu':
          line.cpu = parseQemuOpts(arg, 'model', { onWarning: warn });
          break;
        case 'device': {
          const opts = arg.startsWith('{') ? deviceFromJson(arg) : parseQemuOpts(arg, 'driver', { onWarning: warn });
          const driver = optGet(opts, 'driver');
          if (driver === undefined || driver === '') throw new QemuOptsError("Parameter 'driver' is missing");
          const id = opts.find((o) => o.key === 'id')?.value; // QEMU takes the first id
          if (id !== undefined) {
            if (!isWellFormedId(id)) {
              throw new QemuOptsError("Parameter 'id' expects an identifier", "Identifiers consist of letters, digits, '-', '.', '_', starting with a letter.");
            }
            if (ids.has(id)) throw new QemuOptsError(`Duplicate ID '${id}' for device`);
            ids.add(id);
          }
          line.devices.push(opts);
          break;
        }
        case 'global':
          line.globals.push(parseGlobal(arg));
          break;
        case 'serial':
          line.serial.push(arg);
          break;
        case 'semihosting-config': {
          const opts = parseQemuOpts(arg, 'enable', { onWarning: warn });
          for (const { key, value } of opts) {
            if (!SEMIHOSTING_KEYS.includes(key)) throw new QemuOptsError(`Invalid parameter '${key}'`);
            if (key === 'enable' || key === 'userspace') optBool(value, key);
            if (key === 'target' && !['native', 'gdb', 'auto'].includes(value)) throw new QemuOptsError(`Unsupported semihosting-config ${arg}`);
          }
          line.semihosting.push(...opts);
          break;
        }
        case 'qmp':
          line.qmp.push(arg);
          break;
        case 'kernel':
        case 'append':
        case 'initrd':
        case 'dtb':
        case 'bios':
        case 'gdb':
        case 'display':
          line[option] = arg;
          break;
      }
    } catch (error) {
      if (error instanceof QemuOptsError) throw new QemuOptsError(`${word} ${arg}: ${error.message}`, error.hint);
      throw error;
    }
  }
  const type = optGet(line.machine, 'type');
  if (type !== undefined) line.machineType = type;
  if (line.memoryOpts.length > 0) {
    try {
      const bytes = memorySize(line.memoryOpts);
      if (bytes !== undefined) line.memoryBytes = bytes;
    } catch (error) {
      if (error instanceof QemuOptsError) throw new QemuOptsError(`-m ${optGet(line.memoryOpts, 'size')}: ${error.message}`, error.hint);
      throw error;
    }
  }
  const cpus = optGet(line.smp, 'cpus');
  if (cpus !== undefined) line.cpus = smpNumber('cpus', cpus);
  return line;
}

/**
 * How a QEMU option (without its dashes) is used on a command line: 'argument' when it takes one,
 * 'flag' when it does not, 'unsupported' for options QEMU has and BoardLab does not take, undefined
 * when QEMU has no such option.
 */
export function qemuOptionKind(name: string): 'argument' | 'flag' | 'unsupported' | undefined {
  if (Object.hasOwn(WITH_ARGUMENT, name)) return 'argument';
  if (FLAGS.has(name)) return 'flag';
  if (UNSUPPORTED.has(name)) return 'unsupported';
  return undefined;
}
