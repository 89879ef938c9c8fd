// Expectations marked "QEMU 7.2" were observed with Debian's qemu-system-riscv32 7.2 (for example
// `qemu-system-riscv32 -M virt -bios none -m 1000000b` then `info memory_size_summary`, or the
// error it prints); the others follow QEMU's source (util/qemu-option.c, util/cutils.c,
// qapi/qapi-util.c, softmmu/vl.c).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  QemuOptsError,
  optBool,
  optGet,
  optNumber,
  optNumberBig,
  optSize,
  optSizeBig,
  parseQemuArgs,
  parseQemuOpts,
  qemuOptionKind,
  printQemuOpts,
  type QemuOpts,
} from './qemu-opts.ts';

function qemuError(fn: () => unknown): QemuOptsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(QemuOptsError);
    return error as QemuOptsError;
  }
  throw new Error('expected a QemuOptsError');
}

const kv = (...pairs: [string, string][]): QemuOpts => pairs.map(([key, value]) => ({ key, value }));

describe('parseQemuOpts', () => {
  it.each<[string, string | undefined, QemuOpts]>([
    ['', undefined, []],
    ['', 'driver', []],
    ['a=b', undefined, kv(['a', 'b'])],
    ['a=b,c=d', undefined, kv(['a', 'b'], ['c', 'd'])],
    ['a=1,,2', undefined, kv(['a', '1,2'])],
    ['a=1,,,,2,b=3', undefined, kv(['a', '1,,2'], ['b', '3'])],
    ['a=,b=', undefined, kv(['a', ''], ['b', ''])],
    ['a=b=c', undefined, kv(['a', 'b=c'])],
    ['path=/x/y,opt=k=v,,w=z', undefined, kv(['path', '/x/y'], ['opt', 'k=v,w=z'])],
    ['a=b,', undefined, kv(['a', 'b'])], // a trailing comma ends the list
    ['a=b,,', undefined, kv(['a', 'b,'])],
    ['a=1,,,,,', undefined, kv(['a', '1,,'])], // two escaped commas, then the list ends
    ['a=1,a=2', undefined, kv(['a', '1'], ['a', '2'])], // duplicates kept in order
    ['k ey=v al', undefined, kv(['k ey', 'v al'])],
    // the implied first key
    ['ns16550a,id=uart1', 'driver', kv(['driver', 'ns16550a'], ['id', 'uart1'])],
    ['virt,aclint=on', 'type', kv(['type', 'virt'], ['aclint', 'on'])],
    ['256', 'size', kv(['size', '256'])],
    ['foo,,bar,id=x', 'driver', kv(['driver', 'foo,bar'], ['id', 'x'])], // QEMU 7.2: 'foo,bar' is not a valid device model name
    [',id=x', 'driver', kv(['driver', ''], ['id', 'x'])], // QEMU 7.2: '' is not a valid device model name
    ['id=x', 'driver', kv(['id', 'x'])], // QEMU 7.2: Parameter 'driver' is missing
    ['driver=x,y', 'driver', kv(['driver', 'x'], ['y', 'on'])],
    ['x,nox', 'driver', kv(['driver', 'x'], ['x', 'off'])], // the implied key applies to the first element only
    // short-form booleans
    ['x', undefined, kv(['x', 'on'])],
    ['nox', undefined, kv(['x', 'off'])],
    ['a=1,x,noy', undefined, kv(['a', '1'], ['x', 'on'], ['y', 'off'])],
    ['node', undefined, kv(['de', 'off'])], // QEMU strips any "no" prefix
    ['help', undefined, kv(['help', 'on'])],
  ])('%j (implied %s)', (text, implied, expected) => {
    expect(parseQemuOpts(text, implied)).toEqual(expected);
  });

  it.each<[string, string | undefined]>([
    [',', undefined], // QEMU 7.2 (-msg ,timestamp=on): Invalid parameter ''
    [',a=b', undefined],
    ['=1', undefined], // QEMU 7.2 (-msg =on)
    ['=1', 'driver'],
    ['a=1,=2', undefined],
    ['foo,=x', 'driver'],
    ['a=1,,,=2', undefined],
    ['a,,b', undefined], // flag 'a', then an empty name
    ['no', undefined],
  ])('%j (implied %s) is "Invalid parameter \'\'"', (text, implied) => {
    expect(qemuError(() => parseQemuOpts(text, implied)).message).toBe("Invalid parameter ''");
  });

  it('reports short-form booleans as deprecated, as QEMU 7.2 does', () => {
    const warnings: string[] = [];
    const opts = parseQemuOpts('virtio-rng-device,xyz,noabc,help,?', 'driver', { onWarning: (m) => warnings.push(m) });
    expect(opts).toEqual(kv(['driver', 'virtio-rng-device'], ['xyz', 'on'], ['abc', 'off'], ['help', 'on'], ['?', 'on']));
    expect(warnings).toEqual([
      "short-form boolean option 'xyz' deprecated; please use xyz=on instead",
      "short-form boolean option 'noabc' deprecated; please use abc=off instead",
    ]);
  });

  it('rejects short-form booleans in keyval mode, as QEMU 7.2 does for -machine', () => {
    expect(qemuError(() => parseQemuOpts('virt,aclint', 'type', { shortBooleans: false })).message).toBe("Expected '=' after parameter 'aclint'");
    expect(qemuError(() => parseQemuOpts('virt,noaclint', 'type', { shortBooleans: false })).message).toBe("Expected '=' after parameter 'noaclint'");
    expect(parseQemuOpts('virt,aclint=on', 'type', { shortBooleans: false })).toEqual(kv(['type', 'virt'], ['aclint', 'on']));
  });

  it('finds the last value of a key, as qemu_opt_get', () => {
    const opts = parseQemuOpts('a=1,b=2,a=3');
    expect(optGet(opts, 'a')).toBe('3');
    expect(optGet(opts, 'b')).toBe('2');
    expect(optGet(opts, 'c')).toBeUndefined();
  });
});

describe('printQemuOpts', () => {
  it.each<[QemuOpts, string | undefined, string]>([
    [[], undefined, ''],
    [kv(['a', 'b']), undefined, 'a=b'],
    [kv(['a', '1,2'], ['b', '']), undefined, 'a=1,,2,b='],
    [kv(['a', 'x=y']), undefined, 'a=x=y'],
    [kv(['driver', 'ns16550a'], ['id', 'uart1']), 'driver', 'ns16550a,id=uart1'],
    [kv(['driver', 'a,b'], ['id', 'u']), 'driver', 'a,,b,id=u'],
    [kv(['driver', 'a,b=c']), 'driver', 'a,,b=c'], // a comma before the '=' keeps it bare
    [kv(['driver', 'a=b']), 'driver', 'driver=a=b'], // bare would read as key 'a'
    [kv(['driver', '']), 'driver', 'driver='], // bare would read as an empty list
    [kv(['driver', ''], ['id', 'x']), 'driver', 'driver=,id=x'],
    [kv(['id', 'x'], ['driver', 'ns16550a']), 'driver', 'id=x,driver=ns16550a'], // implied only when first
    [kv(['type', 'virt']), 'driver', 'type=virt'],
    [kv(['x', 'on']), undefined, 'x=on'], // always long form, never the deprecated short one
  ])('%j (implied %s) → %j', (opts, implied, text) => {
    expect(printQemuOpts(opts, implied)).toBe(text);
    expect(parseQemuOpts(text, implied)).toEqual(opts);
  });

  it.each(['', 'a,b', 'a=b'])('refuses the key %j', (key) => {
    expect(qemuError(() => printQemuOpts([{ key, value: 'v' }])).message).toBe(`Invalid parameter '${key}'`);
  });

  const keyChar = fc.constantFrom(...'abcxyz-_.0 no'.split(''));
  const valueChar = fc.constantFrom(...'abc,=,, .-/:0'.split(''), ',,', '==', 'é');
  const key = fc.array(keyChar, { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
  const value = fc.oneof(fc.array(valueChar, { maxLength: 8 }).map((c) => c.join('')), fc.string());
  const optsArb = fc.array(fc.record({ key, value }), { maxLength: 6 });
  const implied = fc.option(fc.constantFrom('driver', 'type', 'a', 'no'), { nil: undefined });

  it('round-trips: parse(print(opts)) = opts, for keys and values with commas and =', () => {
    fc.assert(
      fc.property(optsArb, implied, fc.boolean(), (opts, impliedKey, implyFirst) => {
        // Often make the first option the implied key so bare printing is exercised.
        const list = implyFirst && impliedKey !== undefined && opts.length > 0 ? [{ key: impliedKey, value: opts[0].value }, ...opts.slice(1)] : opts;
        const text = printQemuOpts(list, impliedKey);
        expect(parseQemuOpts(text, impliedKey)).toEqual(list);
        expect(printQemuOpts(parseQemuOpts(text, impliedKey), impliedKey)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('parses any text without throwing anything but QemuOptsError, and reprints what it parsed', () => {
    const text = fc.oneof(fc.array(fc.constantFrom(...'ab,=no'.split('')), { maxLength: 12 }).map((c) => c.join('')), fc.string());
    fc.assert(
      fc.property(text, implied, (t, impliedKey) => {
        let opts: QemuOpts;
        try {
          opts = parseQemuOpts(t, impliedKey);
        } catch (error) {
          expect(error).toBeInstanceOf(QemuOptsError);
          return;
        }
        expect(parseQemuOpts(printQemuOpts(opts, impliedKey), impliedKey)).toEqual(opts);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('optBool', () => {
  it.each([
    ['on', true], ['yes', true], ['true', true], ['y', true],
    ['off', false], ['no', false], ['false', false], ['n', false],
  ])('%s → %s (QEMU 7.2, -msg timestamp=%s)', (value, expected) => {
    expect(optBool(value)).toBe(expected);
  });

  it.each(['ON', 'Yes', '1', '0', '', 'enabled', ' on'])('rejects %j (QEMU 7.2)', (value) => {
    expect(qemuError(() => optBool(value, 'timestamp')).message).toBe("Parameter 'timestamp' expects 'on' or 'off'");
  });
});

describe('optSize', () => {
  it.each([
    ['0', 0],
    ['4096', 4096],
    ['256b', 256],
    ['256B', 256],
    ['1k', 1024],
    ['1K', 1024],
    ['256m', 256 * 2 ** 20],
    ['256M', 256 * 2 ** 20],
    ['1g', 2 ** 30],
    ['1.5G', 1.5 * 2 ** 30],
    ['0.5G', 2 ** 29],
    ['1T', 2 ** 40],
    ['1t', 2 ** 40],
    ['2P', 2 * 2 ** 50],
    ['1.0001K', 1024], // rounded to the nearest byte
    ['1.0005K', 1025],
    ['1.k', 1024], // QEMU 7.2: a '.' without digits is skipped
    ['1.', 1],
    ['1.0b', 1],
    [' 1K', 1024], // QEMU 7.2: leading whitespace
    ['+1K', 1024], // QEMU 7.2
    ['0x10', 16], // QEMU 7.2: maxmem=0X10 is 0x10
    ['0X10', 16],
    ['0x10e', 0x10e], // 'e' is a hex digit, not the exa suffix
    ['0x1e', 0x1e],
    ['010', 10], // QEMU 7.2: decimal, not octal
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('%j = %d', (text, bytes) => {
    expect(optSize(text)).toBe(bytes);
  });

  it.each([
    '', '-1', '-0', 'abc', '1.5', '1.5b', '1.5B', '0.5b', '1KB', '1Ki', '256mb', '1e3', '1.5e3K', '.5K', '1K ', '0x', '0xk',
    '1_000', '0x1.8M', '0x1p10', '1,5', '0x10k', '0x100M', 'K',
  ])('rejects %j (QEMU 7.2 except hex with a suffix, which QEMU 8 rejects)', (text) => {
    const error = qemuError(() => optSize(text, 'maxmem'));
    expect(error.message).toBe("Parameter 'maxmem' expects a non-negative number below 2^64");
    expect(error.hint).toBe('Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\nand exabytes, respectively.');
  });

  it.each(['16E', '16384P', '18446744073709551616', '99999999999999999999'])('%s is out of range (QEMU 7.2)', (text) => {
    expect(qemuError(() => optSize(text)).message).toBe(`Value '${text}' is out of range for parameter 'size'`);
  });

  it('reaches 2^64-1 as a bigint, and refuses JS numbers above 2^53-1', () => {
    expect(optSizeBig('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(optSizeBig('16383P')).toBe(16383n * 2n ** 50n);
    expect(optSizeBig('15E')).toBe(15n * 2n ** 60n);
    expect(optSizeBig('0xffffffffffffffff')).toBe(2n ** 64n - 1n);
    expect(qemuError(() => optSize('8P')).message).toBe("Value '8P' is too large for parameter 'size'");
  });
});

describe('optNumber', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['0x10', 16],
    ['0X1f', 31],
    ['010', 8], // octal, as strtoull with base 0
    [' 5', 5], // QEMU 7.2 accepts leading whitespace
    ['+5', 5],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('%j = %d', (text, n) => {
    expect(optNumber(text, 'slots')).toBe(n);
  });

  it.each(['', '08', '1K', '5 ', '0x', '1.0', 'abc'])('rejects %j (QEMU 7.2)', (text) => {
    expect(qemuError(() => optNumber(text, 'slots')).message).toBe("Parameter 'slots' expects a number");
  });

  it('rejects negative numbers (QEMU 7.2 would wrap -1 to 2^64-1)', () => {
    expect(qemuError(() => optNumber('-1', 'slots')).message).toBe("Parameter 'slots' expects a non-negative number");
    expect(qemuError(() => optNumber('-0', 'slots')).message).toBe("Parameter 'slots' expects a non-negative number");
  });

  it('reports values of 2^64 and more as too large (QEMU 7.2)', () => {
    expect(optNumberBig('18446744073709551615')).toBe(2n ** 64n - 1n);
    expect(qemuError(() => optNumber('18446744073709551616', 'slots')).message).toBe("Value '18446744073709551616' is too large for parameter 'slots'");
    expect(qemuError(() => optNumber('9007199254740992', 'slots')).message).toBe("Value '9007199254740992' is too large for parameter 'slots'");
  });
});

describe('parseQemuArgs', () => {
  it('splits a typical command line', () => {
    const line = parseQemuArgs([
      'qemu-system-riscv32', '-M', 'virt,aclint=on', '-m', '256', '-smp', '2', '-cpu', 'rv32,pmp=off',
      '-device', 'ns16550a,id=uart1', '-global', 'ns16550a.baudbase=115200', '-kernel', 'hello.elf',
      '-bios', 'none', '-serial', 'mon:stdio', '-serial', 'null', '-nographic', '-S', '-gdb', 'tcp::3333',
      '-qmp', 'unix:/tmp/qmp.sock,server,wait=off',
    ]);
    expect(line).toEqual({
      program: 'qemu-system-riscv32',
      machine: kv(['type', 'virt'], ['aclint', 'on']),
      machineType: 'virt',
      memoryOpts: kv(['size', '256']),
      memoryBytes: 256 * 2 ** 20,
      smp: kv(['cpus', '2']),
      cpus: 2,
      cpu: kv(['model', 'rv32'], ['pmp', 'off']),
      devices: [kv(['driver', 'ns16550a'], ['id', 'uart1'])],
      globals: [{ driver: 'ns16550a', property: 'baudbase', value: '115200' }],
      kernel: 'hello.elf',
      bios: 'none',
      serial: ['mon:stdio', 'null'],
      gdb: 'tcp::3333',
      qmp: ['unix:/tmp/qmp.sock,server,wait=off'],
      semihosting: [],
      nographic: true,
      startPaused: true,
      warnings: [],
    });
  });

  it('gives empty lists and false flags for an empty command line', () => {
    expect(parseQemuArgs([])).toEqual({
      machine: [], memoryOpts: [], smp: [], devices: [], globals: [], serial: [], qmp: [], semihosting: [],
      nographic: false, startPaused: false, warnings: [],
    });
  });

  it('merges -semihosting and -semihosting-config (implied key enable), checking keys and values as QEMU', () => {
    expect(parseQemuArgs(['-semihosting', '-semihosting-config', 'target=native,arg=x']).semihosting).toEqual(kv(['enable', 'on'], ['target', 'native'], ['arg', 'x']));
    expect(parseQemuArgs(['-semihosting-config', 'on']).semihosting).toEqual(kv(['enable', 'on']));
    expect(() => parseQemuArgs(['-semihosting-config', 'enable=yes please'])).toThrow(/^-semihosting-config enable=yes please: /);
    expect(() => parseQemuArgs(['-semihosting-config', 'frob=1'])).toThrow("-semihosting-config frob=1: Invalid parameter 'frob'");
    expect(qemuOptionKind('semihosting')).toBe('flag');
    expect(qemuOptionKind('semihosting-config')).toBe('argument');
  });

  it.each<[string[], number | undefined]>([
    [['-m', '256'], 256 * 2 ** 20], // QEMU 7.2: no suffix means MiB
    [['-m', '256M'], 268435456],
    [['-m', '256m'], 268435456],
    [['-m', '1g'], 2 ** 30],
    [['-m', '1.5G'], 1610612736],
    [['-m', '0.5G'], 536870912],
    [['-m', 'size=1G'], 2 ** 30],
    [['-m', 'size=512'], 512 * 2 ** 20],
    [['-m', ' 256'], 268435456],
    [['-m', '256k'], 262144],
    [['-m', '256b'], 8192], // QEMU 7.2 rounds RAM up to 8 KiB
    [['-m', '1000000b'], 1007616],
    [['-m', '1.0001K'], 8192],
    [['-m', '1.0001M'], 1056768],
    [['-m', '0x10a'], 8192], // ends in a letter: bytes, then rounded
    [['-m', '0'], undefined], // QEMU 7.2: size 0 means the machine's default
    [['-m', '64,size=128'], 128 * 2 ** 20], // the last size wins
    [['-m', '64', '-m', '128'], 128 * 2 ** 20], // QEMU 7.2 merges -m options
    [['-m', '128', '-m', 'maxmem=1G,slots=2'], 128 * 2 ** 20],
    [[], undefined],
  ])('%j → %s bytes', (argv, bytes) => {
    expect(parseQemuArgs(argv).memoryBytes).toBe(bytes);
  });

  it('keeps every -m option', () => {
    expect(parseQemuArgs(['-m', '128', '-m', 'maxmem=1G,slots=2']).memoryOpts).toEqual(kv(['size', '128'], ['maxmem', '1G'], ['slots', '2']));
  });

  it.each<[string[], string]>([
    [['-m', '1.5'], "-m 1.5: Parameter 'size' expects a non-negative number below 2^64"], // QEMU 7.2, same message
    [['-m', '-1'], "-m -1: Parameter 'size' expects a non-negative number below 2^64"], // QEMU 7.2
    [['-m', 'abc'], "-m abc: Parameter 'size' expects a non-negative number below 2^64"], // QEMU 7.2
    [['-m', '256K,,x'], "-m 256K,,x: Parameter 'size' expects a non-negative number below 2^64"], // QEMU 7.2
    [['-m', 'size='], "-m size=: Parameter 'size' expects a non-negative number below 2^64"], // QEMU 7.2
    [['-m', '16E'], "-m 16E: Value '16E' is out of range for parameter 'size'"], // QEMU 7.2
    [['-m', '1,5'], "-m 1,5: Invalid parameter '5'"], // QEMU 7.2
    [['-m', '1,foo=2'], "-m 1,foo=2: Invalid parameter 'foo'"],
    [['-m', '64,slots=08'], "-m 64,slots=08: Parameter 'slots' expects a number"], // QEMU 7.2
    [['-m', '64,maxmem=1.5'], "-m 64,maxmem=1.5: Parameter 'maxmem' expects a non-negative number below 2^64"], // QEMU 7.2
    [['-m', '0x100'], "-m 0x100: Parameter 'size' expects a non-negative number below 2^64"], // QEMU 7.2 warns, QEMU 8 rejects
    [['-m', '8P'], "-m 8P: Value '8P' is too large for parameter 'size'"],
  ])('%j fails: %s', (argv, message) => {
    expect(qemuError(() => parseQemuArgs(argv)).message).toBe(message);
  });

  it('explains why a hexadecimal -m size fails', () => {
    expect(qemuError(() => parseQemuArgs(['-m', '0x100'])).hint).toMatch(/reads '0x100' as '0x100M'/);
  });

  it('merges -M/-machine options and takes the last type', () => {
    const line = parseQemuArgs(['-M', 'virt', '-machine', 'aclint=on', '--machine', 'type=spike']);
    expect(line.machine).toEqual(kv(['type', 'virt'], ['aclint', 'on'], ['type', 'spike']));
    expect(qemuError(() => parseQemuArgs(['--machine', 'virt,x'])).message).toBe("--machine virt,x: Expected '=' after parameter 'x'");
    expect(line.machineType).toBe('spike');
  });

  it('parses -machine strictly, as QEMU 7.2 (keyval: no short-form booleans)', () => {
    expect(qemuError(() => parseQemuArgs(['-M', 'virt,aclint'])).message).toBe("-M virt,aclint: Expected '=' after parameter 'aclint'");
    expect(qemuError(() => parseQemuArgs(['-M', 'virt,=on'])).message).toBe("-M virt,=on: Invalid parameter ''");
  });

  it('reads -smp with the implied key cpus and checks it as QEMU 7.2 does', () => {
    expect(parseQemuArgs(['-smp', '4']).cpus).toBe(4);
    expect(parseQemuArgs(['-smp', 'cpus=2,maxcpus=4']).smp).toEqual(kv(['cpus', '2'], ['maxcpus', '4']));
    expect(parseQemuArgs(['-smp', 'sockets=1,cores=2']).cpus).toBeUndefined();
    expect(parseQemuArgs(['-smp', '2', '-smp', 'cpus=3']).cpus).toBe(3);
    expect(qemuError(() => parseQemuArgs(['-smp', 'abc'])).message).toBe("-smp abc: Parameter 'smp.cpus' expects integer");
    expect(qemuError(() => parseQemuArgs(['-smp', '2,foo=1'])).message).toBe("-smp 2,foo=1: Parameter 'smp.foo' is unexpected");
    expect(qemuError(() => parseQemuArgs(['-smp', '-1'])).message).toBe("-smp -1: Parameter 'smp.cpus' expects integer");
  });

  it('reads -device with the implied key driver, in order, and in JSON form', () => {
    const line = parseQemuArgs([
      '-device', 'ns16550a,id=uart1',
      '-device', 'virtio-rng-device',
      '-device', '{"driver":"sifive-test","id":"t","x":1,"on":true}',
      '-device', '{"id":"u2","driver":"ns16550a"}',
    ]);
    expect(line.devices).toEqual([
      kv(['driver', 'ns16550a'], ['id', 'uart1']),
      kv(['driver', 'virtio-rng-device']),
      kv(['driver', 'sifive-test'], ['id', 't'], ['x', '1'], ['on', 'on']),
      kv(['driver', 'ns16550a'], ['id', 'u2']),
    ]);
  });

  it.each<[string[], string]>([
    [['-device', 'id=x'], "-device id=x: Parameter 'driver' is missing"], // QEMU 7.2
    [['-device', ''], "-device : Parameter 'driver' is missing"], // QEMU 7.2
    [['-device', 'foo=x'], "-device foo=x: Parameter 'driver' is missing"], // QEMU 7.2
    [['-device', ',id=x'], "-device ,id=x: Parameter 'driver' is missing"],
    [['-device', 'foo,id=1x'], "-device foo,id=1x: Parameter 'id' expects an identifier"], // QEMU 7.2
    [['-device', 'foo,id=a,,b'], "-device foo,id=a,,b: Parameter 'id' expects an identifier"], // QEMU 7.2
    [['-device', 'a,id=u', '-device', 'b,id=u'], "-device b,id=u: Duplicate ID 'u' for device"],
    [['-device', '{"driver":'], '-device {"driver":: JSON parse error'],
    [['-device', '{"driver":"x","p":[1]}'], 'only strings, numbers and booleans'],
  ])('%j fails: %s', (argv, message) => {
    expect(qemuError(() => parseQemuArgs(argv)).message).toContain(message);
  });

  it('collects deprecation warnings', () => {
    expect(parseQemuArgs(['-device', 'virtio-rng-device,xyz']).warnings).toEqual([
      "-device virtio-rng-device,xyz: short-form boolean option 'xyz' deprecated; please use xyz=on instead",
    ]);
  });

  it('reads both forms of -global', () => {
    expect(parseQemuArgs([
      '-global', 'ns16550a.foo=1',
      '-global', 'ns16550a.foo.bar=a,b', // the dotted form takes the value verbatim
      '-global', 'a.b=c,,d',
      '-global', 'driver=x,property=y,value=z,,w',
    ]).globals).toEqual([
      { driver: 'ns16550a', property: 'foo', value: '1' },
      { driver: 'ns16550a', property: 'foo.bar', value: 'a,b' },
      { driver: 'a', property: 'b', value: 'c,,d' },
      { driver: 'x', property: 'y', value: 'z,w' },
    ]);
  });

  it.each<[string, string]>([
    ['ns16550a=1', "Invalid parameter 'ns16550a'"], // QEMU 7.2
    ['.x=1', "Invalid parameter '.x'"], // QEMU 7.2
    ['a.=1', "Invalid parameter 'a.'"], // QEMU 7.2
    ['a.b', "Invalid parameter 'a.b'"], // QEMU 7.2 (after a short-form warning)
    ['driver=ns16550a', "options 'driver', 'property', and 'value' are required"], // QEMU 7.2
    ['driver=x,property=y,value=z,zz=1', "Invalid parameter 'zz'"], // QEMU 7.2
  ])('-global %j fails: %s', (arg, message) => {
    expect(qemuError(() => parseQemuArgs(['-global', arg])).message).toBe(`-global ${arg}: ${message}`);
  });

  it('reads the image, debug and display options', () => {
    const line = parseQemuArgs(['-kernel', 'a', '-kernel', 'b', '-append', 'console=ttyS0', '-initrd', 'i', '-dtb', 'd.dtb', '-s', '-display', 'none', '-qmp', 'tcp:localhost:4444,server', '-qmp', 'stdio']);
    expect(line).toMatchObject({ kernel: 'b', append: 'console=ttyS0', initrd: 'i', dtb: 'd.dtb', gdb: 'tcp::1234', display: 'none', qmp: ['tcp:localhost:4444,server', 'stdio'] });
  });

  it('takes the next word as the argument even when it starts with a dash, as QEMU', () => {
    expect(parseQemuArgs(['-serial', '-S']).serial).toEqual(['-S']); // QEMU 7.2: -device -S makes '-S' the driver
  });

  it('accepts --option for -option, as QEMU', () => {
    expect(parseQemuArgs(['--nographic', '--device', 'x']).devices).toEqual([kv(['driver', 'x'])]);
  });

  it.each<[string[], string]>([
    [['-device'], '-device needs an argument'], // QEMU 7.2 says "-device: requires an argument"
    [['-m'], '-m needs an argument'],
    [['-M', 'virt', '-kernel'], '-kernel needs an argument'],
    [['-frob'], '-frob: invalid option'], // QEMU 7.2, same message
    [['--frob'], '--frob: invalid option'], // QEMU 7.2, same message
    [['--device'], '--device needs an argument'],
    [['-drive', 'file=x'], '-drive: not supported by BoardLab'],
    [['-netdev', 'user,id=n'], '-netdev: not supported by BoardLab'],
    [['disk.img'], 'disk.img: unexpected argument'],
    [['-M', 'virt', 'stray'], 'stray: unexpected argument'],
    [['-'], '-: invalid option'], // QEMU 7.2, same message
  ])('%j fails: %s', (argv, message) => {
    expect(qemuError(() => parseQemuArgs(argv)).message).toBe(message);
  });

  it('never throws anything but QemuOptsError', () => {
    const word = fc.constantFrom('-M', '-m', '-smp', '-device', '-global', '-cpu', '-kernel', '-serial', '-S', '-nographic', '-s', 'virt', '256', '1.5G', 'x=1', 'a.b=c', 'id=x', ',', '{', '{"driver":"x"}', '-zz', '');
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.string()), { maxLength: 8 }), (argv) => {
        try {
          parseQemuArgs(argv);
        } catch (error) {
          expect(error).toBeInstanceOf(QemuOptsError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
