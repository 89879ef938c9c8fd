// The debugger's memory view as a newcomer uses it: the bytes of RAM at any mapped address, what an
// MMIO or unmapped address is, bytes changed while paused (and refused while running), a register
// followed, registers a step changed highlighted, and a board switch that leaves no breakpoints or
// pause message of the previous board behind.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { firmwareFile, instructions, openBoardFile, openDesigner, openFirmware, pausedCounterInDebugger, session, symbolAddress, terminalText, waitForGreeting } from './helpers';

/** The bytes of a committed firmware ELF's loaded sections, by address (from Debian's objdump -s). */
function elfContents(elf: string): Map<number, number> {
  const path = fileURLToPath(new URL(`../public/firmware/${elf}`, import.meta.url));
  const bytes = new Map<number, number>();
  for (const line of execFileSync('riscv64-unknown-elf-objdump', ['-s', '-j', '.text', '-j', '.rodata', path], { encoding: 'utf8' }).split('\n')) {
    const match = /^ ([0-9a-f]{8}) ((?:[0-9a-f]{2,8} ?){1,4})/.exec(line);
    if (!match) continue;
    const hex = match[2].replace(/ /g, '');
    for (let i = 0; i < hex.length / 2; i++) bytes.set(parseInt(match[1], 16) + i, parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  }
  return bytes;
}

/** Where `text` is in the firmware's loaded bytes. */
function addressOfText(contents: Map<number, number>, text: string): number {
  const wanted = [...Buffer.from(text)];
  for (const address of contents.keys()) if (wanted.every((byte, i) => contents.get(address + i) === byte)) return address;
  throw new Error(`"${text}" is not in the firmware`);
}

const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** Every register of cpu0 as the registers view shows it (name → value text), pc included. */
async function registerValues(page: Page): Promise<Record<string, string>> {
  const hart = page.getByTestId('registers-cpu0');
  const values = await hart.locator('[data-register]').evaluateAll((cells) => cells.map((cell) => [cell.getAttribute('data-register'), cell.textContent?.trim().split(/\s+/)[1]]));
  return { ...Object.fromEntries(values), pc: ((await hart.getByTestId('pc').textContent()) ?? '').replace('pc ', '') };
}

/** The registers the view marks as changed. */
async function highlighted(page: Page): Promise<string[]> {
  const hart = page.getByTestId('registers-cpu0');
  const names = await hart.locator('[data-register][data-changed]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-register') ?? ''));
  if ((await hart.getByTestId('pc').getAttribute('data-changed')) !== null) names.push('pc');
  return names.sort();
}

test('the memory view shows RAM at 0x80000000 and says what MMIO and unmapped addresses are', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await page.getByTestId('toggle-debug').click();

  // The default board: the view opens on its RAM, with the firmware's first bytes there.
  const hello = elfContents('hello.elf');
  const firstRow = Array.from({ length: 16 }, (_, i) => (hello.get(0x8000_0000 + i) ?? 0).toString(16).padStart(2, '0')).join(' ');
  await expect(page.getByTestId('memory-region')).toContainText('ram.mem');
  await expect(page.getByTestId('memory-dump')).toContainText(`0x80000000  ${firstRow}`);

  // Its greeting, as the guest stored it in .rodata, read from the shared RAM.
  const greeting = addressOfText(hello, 'Hello, BoardLab!');
  await page.getByTestId('memory-address').fill(hex8(greeting));
  await expect(page.getByTestId('memory-dump')).toContainText('Hello, BoardLab!'.slice(0, 16 - (greeting % 16)));

  // The UART's registers are not read (a read has side effects); an unmapped address says what is mapped.
  await page.getByTestId('memory-address').fill('0x10000000');
  await expect(page.getByTestId('memory-dump')).toHaveText('uart0.regs is MMIO (device registers at 0x10000000): reading it has side effects, not shown');
  await page.getByTestId('memory-address').fill('20000000');
  await expect(page.getByTestId('memory-dump')).toHaveText('nothing is mapped at 0x20000000; mapped: test.regs at 0x00100000, uart0.regs at 0x10000000, ram.mem at 0x80000000');
  await page.getByTestId('memory-address').fill('0x8000zz');
  await expect(page.getByTestId('memory-dump')).toContainText('not an address: "0x8000zz"');
  expect(errors).toEqual([]);
});

test('bytes typed into the memory view while paused change what the guest prints; while running they are refused', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await pausedCounterInDebugger(page);

  // counter prints "tick N": find "tick" in its .rodata and look at it.
  const tick = addressOfText(elfContents('counter.elf'), 'tick ');
  await page.getByTestId('memory-address').fill(hex8(tick));
  const dump = page.getByTestId('memory-dump');
  await expect(dump.locator(`[data-address="${hex8(tick)}"]`)).toHaveText('74'); // 't'

  // Click the byte and type TOCK in hex: 54 4f 43 4b.
  await dump.locator(`[data-address="${hex8(tick)}"]`).click();
  await page.keyboard.type('544f434b');
  await expect(dump.locator(`[data-address="${hex8(tick + 3)}"]`)).toHaveText('4b');
  await expect(dump).toContainText('TOCK');
  await expect(page.getByTestId('memory-status')).toHaveCount(0);

  // Run: the firmware prints the changed string.
  await page.getByTestId('run').click();
  await expect.poll(() => terminalText(page)).toMatch(/TOCK \d+/);

  // Running: an edit is refused, with the reason, and the byte keeps its value.
  await dump.locator(`[data-address="${hex8(tick)}"]`).click();
  await page.keyboard.type('78');
  await expect(page.getByTestId('memory-status')).toHaveText('not changed: the guest is running: pause it (Pause or Step) to change its memory');
  await expect(dump.locator(`[data-address="${hex8(tick)}"]`)).toHaveText('54');
  await expect(page.getByTestId('run-state')).toHaveText('running');
  expect(errors).toEqual([]);
});

test('changed registers are highlighted after each step, and the memory view follows sp', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await pausedCounterInDebugger(page);
  await page.getByTestId('reset').click();
  await expect.poll(() => instructions(page)).toBe(0);
  await expect(page.getByTestId('registers-cpu0').getByTestId('pc')).toHaveText('pc 0x80000000');

  // Follow sp: at reset it is 0, where nothing is mapped.
  await page.getByTestId('memory-follow').selectOption({ label: 'follow sp' });
  await expect(page.getByTestId('memory-address')).toHaveValue('0x00000000');
  await expect(page.getByTestId('memory-dump')).toContainText('nothing is mapped at 0x00000000');

  // Each step highlights exactly the registers it changed (compared with the stop before it).
  for (let n = 1; n <= 4; n++) {
    const before = await registerValues(page);
    await page.getByTestId('step').click();
    await expect.poll(() => instructions(page)).toBe(n);
    await expect(page.getByTestId('registers-cpu0').getByTestId('pc')).not.toHaveText(`pc ${before.pc}`);
    const after = await registerValues(page);
    const changed = Object.keys(after)
      .filter((name) => after[name] !== before[name])
      .sort();
    expect(changed).toContain('pc');
    await expect.poll(() => highlighted(page)).toEqual(changed);
  }
  // Steps 3 and 4 (auipc sp; addi sp) set the stack pointer: the view went with it, to the top of the stack.
  const stackTop = symbolAddress('counter.elf', '__stack_top');
  expect(await highlighted(page)).toEqual(['pc', 'sp']);
  await expect(page.getByTestId('memory-address')).toHaveValue(`0x${stackTop}`);
  await expect(page.getByTestId('memory-region')).toContainText('ram.mem');
  await expect(page.getByTestId('memory-dump').locator('.debug__byte--followed').first()).toHaveAttribute('data-address', `0x${stackTop}`);

  // Typing an address stops following.
  await page.getByTestId('memory-address').fill('0x80000000');
  await expect(page.getByTestId('memory-follow')).toHaveValue('');
  await page.getByTestId('step').click();
  await expect.poll(() => instructions(page)).toBe(5);
  await expect(page.getByTestId('memory-address')).toHaveValue('0x80000000');
  expect(errors).toEqual([]);
});

/** Sets a breakpoint on counter's uart_put_udec and runs into it: paused there, with its message. */
async function pauseAtBreakpoint(page: Page): Promise<void> {
  const target = symbolAddress('counter.elf', 'uart_put_udec');
  await page.getByTestId('disasm-address').fill(target);
  await page.getByTestId('disasm-address').press('Enter');
  await page.getByTestId('disassembly').locator(`[data-testid="disasm-line"][data-address="${target}"]`).getByTestId('disasm-gutter').click();
  await expect(page.getByTestId('breakpoint-list').getByTestId('breakpoint')).toHaveCount(1);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('breakpoint-stop')).toContainText(`breakpoint at 0x${target}`);
  await expect(page.getByTestId('notice')).toContainText('Paused: breakpoint at');
}

/** Nothing of the previous board's debugging is left: no breakpoint, no stop, no pause message. */
async function noDebuggingLeft(page: Page): Promise<void> {
  await expect(page.getByTestId('breakpoint-list').getByTestId('breakpoint')).toHaveCount(0);
  await expect(page.getByTestId('breakpoint-stop')).toHaveCount(0);
  await expect(page.getByTestId('notice').filter({ hasText: 'Paused' })).toHaveCount(0);
}

test('switching boards (Examples, New) clears the breakpoints and the pause message of the previous board', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await pausedCounterInDebugger(page);

  // Examples → hello: nothing left; hello runs to its end.
  await pauseAtBreakpoint(page);
  await page.locator('.examples select').selectOption('hello.board.json');
  await waitForGreeting(page);
  await noDebuggingLeft(page);

  // New → empty board: the same.
  await openFirmware(page, 'counter.elf', firmwareFile('counter.elf'));
  await expect.poll(() => terminalText(page)).toContain('tick 1');
  await pauseAtBreakpoint(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await noDebuggingLeft(page);
  expect(errors).toEqual([]);
});

test('opening a board file clears the breakpoints and the pause message of the previous board', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await pausedCounterInDebugger(page);
  await pauseAtBreakpoint(page);
  await openBoardFile(page, 'blinky.board.json', readFileSync(fileURLToPath(new URL('../examples/blinky.board.json', import.meta.url)), 'utf8'));
  await expect(page.getByTestId('board-title')).toContainText('blinky');
  await noDebuggingLeft(page);
  await expect(page.getByTestId('run-state')).not.toHaveText('paused');
  expect(errors).toEqual([]);
});

test('twenty boards one after another (Examples menu): the last still shows its memory and paints its framebuffer, its RAM in the guest arena', async ({ page }) => {
  test.setTimeout(240_000);
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  // Each load builds a machine with a guest arena of its own (a shared WebAssembly.Memory with up to
  // 4 GiB reserved): the worker must let the old ones go, or a machine would find no memory for its arena.
  const examples = ['framebuffer', 'hello', 'blinky', 'multihart', 'amp', 'mps2-blinky', 'echo', 'tasks', 'uart-bank', 'm0-blinky'];
  const open = async (name: string) => {
    const before = await session(page);
    await page.locator('.examples select').selectOption(`${name}.board.json`);
    await expect(page.getByTestId('board-title')).toContainText(name);
    await expect.poll(() => session(page)).not.toBe(before);
  };
  for (let i = 0; i < 19; i++) await open(examples[i % examples.length]);
  await open('framebuffer');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');

  // The framebuffer paints what the guest drew (its pixels are a block of the arena)…
  const canvas = page.getByTestId('framebuffer-fb');
  const colours = () =>
    canvas.evaluate((element) => {
      const data = (element as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 320, 240).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    });
  await expect.poll(colours).toBeGreaterThan(100);

  // …the memory view shows the firmware's bytes at 0x80000000 (another block)…
  await page.getByTestId('toggle-debug').click();
  const firmware = elfContents('framebuffer.elf');
  const firstRow = Array.from({ length: 16 }, (_, i) => (firmware.get(0x8000_0000 + i) ?? 0).toString(16).padStart(2, '0')).join(' ');
  await page.getByTestId('memory-address').fill('0x80000000');
  await expect(page.getByTestId('memory-region')).toContainText('ram.mem');
  await expect(page.getByTestId('memory-dump')).toContainText(`0x80000000  ${firstRow}`);
  // …and the machine found room for its arena: no RAM outside it.
  await page.getByTestId('toggle-machine-panel').click();
  await expect(page.getByTestId('machine-events')).toBeVisible();
  await expect(page.getByTestId('machine-events')).not.toContainText('RAM outside the guest arena');
  expect(errors).toEqual([]);
});
