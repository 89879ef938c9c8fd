// A new user runs firmware built for QEMU's mps2-an385 in the designer: "New… → from mps2-an385",
// opens firmware/arm/hello.elf through the file picker, and sees the bytes qemu-system-arm prints for
// it — run live here, with its register dump at the lockup the firmware ends in (without
// semihosting its exit is a BKPT, which escalates to HardFault, whose handler's BKPT locks the core
// up, as on QEMU). Then the debugger: the status says "locked up" with QEMU's pc, the register panel
// agrees with QEMU's dump (r0–r15, xPSR) and shows the M-profile special registers; a breakpoint on
// a line of the listing after Reset recovers the core, and Run stops there; step over a bl.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { firmwareFile, instructions, openDesigner, openFirmware, terminalText, waitForGreeting } from './helpers';

const ELF = fileURLToPath(new URL('../public/firmware/arm/hello.elf', import.meta.url));

/** What qemu-system-arm prints for the ELF on its serial port, and its register dump when the guest locks up. */
function qemuRun(elf: string): { serial: string; registers: Map<string, string> } {
  const run = spawnSync('qemu-system-arm', ['-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', '-monitor', 'none', '-serial', 'stdio', '-kernel', elf], { encoding: 'utf8', timeout: 20_000 });
  // "R00=00000020 R01=… R15=0000011e" and "XPSR=01000003 ---- T handler" after "qemu: fatal: Lockup: …"
  expect(run.stderr, 'QEMU locks up on this firmware').toContain('Lockup');
  const registers = new Map([...run.stderr.matchAll(/\b(R\d\d|XPSR)=([0-9a-f]{8})/g)].map((m) => [m[1], m[2]]));
  return { serial: run.stdout, registers };
}

/** A symbol's address in the ELF, from Debian's arm-none-eabi-objdump -t (8 hex digits; a Thumb function's bit 0 cleared). */
function armSymbol(name: string): string {
  const line = execFileSync('arm-none-eabi-objdump', ['-t', ELF], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.endsWith(`\t${name}`) || l.endsWith(` ${name}`));
  if (!line) throw new Error(`hello.elf has no symbol ${name}`);
  return (Number.parseInt(line.split(' ')[0], 16) & ~1).toString(16).padStart(8, '0');
}

/** The first `bl` in a function, from Debian's arm-none-eabi-objdump: its address (8 hex digits) and the callee. */
function firstCall(fn: string): { address: string; callee: string } {
  const listing = execFileSync('arm-none-eabi-objdump', ['-d', ELF], { encoding: 'utf8' });
  const body = listing.split(`<${fn}>:\n`)[1].split('\n\n')[0];
  const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{4} [0-9a-f]{4}\s+bl\s+[0-9a-f]+ <([^>]+)>/m.exec(body);
  if (!m) throw new Error(`${fn} has no bl`);
  return { address: m[1].padStart(8, '0'), callee: m[2] };
}

function register(page: Page, name: string) {
  return page.getByTestId('registers-cpu0').locator(`[data-register="${name}"]`);
}

async function breakpointOn(page: Page, address: string): Promise<void> {
  await page.getByTestId('disasm-address').fill(address);
  await page.getByTestId('disasm-address').press('Enter');
  const line = page.getByTestId('disassembly').locator(`[data-testid="disasm-line"][data-address="${address}"]`);
  await line.getByTestId('disasm-gutter').click();
  await expect(line).toHaveAttribute('data-breakpoint', 'true');
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

test('a new user runs QEMU mps2-an385 firmware: the same output as QEMU, its lockup with the pc, the debugger and Reset', async ({ page }) => {
  const qemu = qemuRun(ELF);
  expect(qemu.serial).toContain('Hello, BoardLab!'); // QEMU ran the firmware at all
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);

  // New… → from machine type → mps2-an385; the list says what each machine type is.
  const newBoard = page.getByTestId('new-board');
  const option = newBoard.locator('option', { hasText: 'mps2-an385' });
  await expect(option).toHaveAttribute('title', /Cortex-M3/);
  await newBoard.selectOption({ label: await option.innerText() });
  await expect(page.getByTestId('board-title')).toContainText('mps2-an385');
  await expect(page.getByTestId('run-state')).toHaveText('cpu0 has no firmware');
  await page.screenshot({ path: '.explore/cortex-m-1-new-board.png' });

  await openFirmware(page, 'hello.elf', firmwareFile('arm/hello.elf'));
  await expect.poll(() => terminalText(page)).toBe(qemu.serial);
  const pc = qemu.registers.get('R15')!;
  await expect(page.getByTestId('run-state')).toHaveText(`locked up: cpu0 at pc 0x${pc}`);
  await expect(page.getByTestId('run-state')).toHaveAttribute('title', /Reset recovers it/);
  expect(await terminalText(page)).toBe(qemu.serial); // nothing after the lockup

  // The register panel at the lockup is QEMU's register dump.
  await page.getByTestId('toggle-debug').click();
  await expect(page.getByTestId('registers-cpu0').getByTestId('pc')).toHaveText(`pc 0x${pc}`);
  const names = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr'];
  for (const [i, name] of names.entries()) await expect(register(page, name)).toHaveText(`${name} 0x${qemu.registers.get(`R${String(i).padStart(2, '0')}`)}`);
  for (const name of ['xpsr', 'msp', 'psp', 'primask', 'basepri', 'faultmask', 'control']) await expect(register(page, name)).toBeVisible();
  await expect(register(page, 'xpsr')).toContainText(`0x${qemu.registers.get('XPSR')}`);
  await expect(register(page, 'xpsr')).toContainText('HardFault'); // QEMU: "T handler", in exception 3
  await expect(register(page, 'msp')).toContainText(`0x${qemu.registers.get('R13')}`); // a handler runs on the MSP
  await page.screenshot({ path: '.explore/cortex-m-2-locked-up.png' });

  // Reset recovers the core: paused at the reset handler the vector table names (the firmware's
  // vector_table points at reset_handler), nothing run yet.
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(page.getByTestId('registers-cpu0').getByTestId('pc')).toHaveText(`pc 0x${armSymbol('reset_handler')}`);
  expect(await instructions(page)).toBe(0);

  // A breakpoint on main's line in the listing; Run stops there.
  const main = armSymbol('main');
  await breakpointOn(page, main);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('breakpoint-stop')).toHaveText(`paused: breakpoint at 0x${main} on cpu0`);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(page.getByTestId('registers-cpu0').getByTestId('pc')).toHaveText(`pc 0x${main}`);
  await expect(register(page, 'xpsr').getByTestId('special-meaning')).toHaveText(/ T · Thread$/);
  await expect(register(page, 'control').getByTestId('special-meaning')).toHaveText('privileged · MSP');
  await expect(register(page, 'primask').getByTestId('special-meaning')).toHaveText('open');

  // A breakpoint on main's first bl; Run stops there; step over runs the callee and stops after the bl.
  const call = firstCall('main');
  expect(call.callee).toBe('uart_puts');
  await breakpointOn(page, call.address);
  await page.getByTestId('run').click();
  await expect(page.getByTestId('breakpoint-stop')).toHaveText(`paused: breakpoint at 0x${call.address} on cpu0`);
  const greetings = count(await terminalText(page), 'Hello, BoardLab!');
  await page.screenshot({ path: '.explore/cortex-m-3-at-bl.png' });
  await page.getByTestId('disasm-step-over').click();
  const after = (Number.parseInt(call.address, 16) + 4).toString(16).padStart(8, '0'); // a bl is 32 bits
  await expect(page.getByTestId('registers-cpu0').getByTestId('pc')).toHaveText(`pc 0x${after}`);
  await expect.poll(async () => count(await terminalText(page), 'Hello, BoardLab!')).toBe(greetings + 1);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await page.screenshot({ path: '.explore/cortex-m-4-stepped-over.png' });
  expect(errors).toEqual([]);
});

test('an ARM ELF opened on a RISC-V board is refused, naming both architectures and the board that runs it', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await waitForGreeting(page);
  await openFirmware(page, 'hello.elf', firmwareFile('arm/hello.elf'));
  const problems = page.getByTestId('problems');
  await expect(problems).toContainText('hello.elf: an ELF file for ARM (EM_ARM), but cpu0 (rv32) is RISC-V, which runs RISC-V (EM_RISCV) images');
  await expect(problems).toContainText('New… → from mps2-an385@1.0');
  await page.screenshot({ path: '.explore/cortex-m-5-wrong-architecture.png' });
  // The running RISC-V board is unchanged.
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
  expect(errors).toEqual([]);
});
