// A heterogeneous board in the designer (issue #14 point 5): a RISC-V hart and a Cortex-M3 built
// from an empty canvas by drag and drop, each with its own address space, UART, interrupt
// controller and firmware. The views group and colour the CPUs by architecture, the memory map
// shows each CPU's view, both interrupt controllers are wired by dragging, each UART has its own
// terminal tab that typing goes to, both sides light the graphs, and the debugger follows the
// chosen CPU with its own ISA: registers, disassembly, a breakpoint of its own and Step.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { designDocument, dragBetween, dropFromPalette, firmwareFile, mapRegion, openDesigner, openFirmware, rename, setProp, streamText } from './helpers';

/** The colour a node or palette entry is drawn in: its left border (categories and architectures colour it). */
function borderColour(locator: Locator): Promise<string> {
  return locator.evaluate((element) => getComputedStyle(element).borderLeftColor);
}

async function recordActiveEdges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { activeEdges: Set<string> };
    w.activeEdges = new Set();
    const tick = () => {
      for (const edge of document.querySelectorAll('.edge-activity[data-active="true"]')) w.activeEdges.add(`${edge.getAttribute('data-source')} -> ${edge.getAttribute('data-target')}`);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

const activeEdges = (page: Page) => page.evaluate(() => [...(window as unknown as { activeEdges: Set<string> }).activeEdges]);

test('a RISC-V hart and a Cortex-M3 on one board, built by drag and drop: clusters, memory views, both interrupt controllers, a terminal per UART, a debugger per CPU', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const { errors } = await openDesigner(page);
  await page.getByTestId('new-board').selectOption('empty');
  await expect(page.getByTestId('board-title')).toContainText('untitled');
  await page.getByTestId('tab-composition').click();
  const composition = page.getByTestId('view-composition');

  // The palette's CPUs carry their architecture's colour.
  const rv32 = page.getByTestId('palette-rv32');
  const m3Entry = page.getByTestId('palette-cortex-m3');
  await expect(rv32).toHaveAttribute('data-architecture', 'riscv');
  await expect(m3Entry).toHaveAttribute('data-architecture', 'arm');
  await expect(m3Entry).toContainText('ARM');
  expect(await borderColour(rv32)).not.toBe(await borderColour(m3Entry));

  const drops: Array<[string, string]> = [
    ['rv32', 'cpu0'],
    ['cortex-m3', 'cpu1'],
    ['ram', 'ram'],
    ['ram', 'ram0'],
    ['ram', 'ram1'],
    ['ns16550a', 'uart0'],
    ['cmsdk-apb-uart', 'uart1'],
    ['plic', 'plic'],
    ['ram', 'ram2'],
    ['mailbox', 'mailbox'],
  ];
  for (const [i, [type, name]] of drops.entries()) {
    await dropFromPalette(page, type, 'composition', 200 + 40 * (i % 4), 120 + 90 * Math.floor(i / 4));
    await expect(composition.getByTestId(`composition-node-${name}`)).toBeVisible();
  }
  await rename(page, composition, 'cpu0', 'hart');
  await setProp(page, 'address-space', 'hart');
  await expect.poll(() => designDocument(page)).toContain('"address-space": "hart"');
  await rename(page, composition, 'cpu1', 'm3');
  await setProp(page, 'address-space', 'm3');

  // Clusters by architecture, each CPU under its own, in its architecture's colour, and a legend.
  const riscvCluster = composition.getByTestId('composition-node-RISC-V cluster');
  const armCluster = composition.getByTestId('composition-node-ARM cluster');
  await expect(riscvCluster).toContainText('address space hart');
  await expect(riscvCluster).toContainText('1 CPU: hart');
  await expect(armCluster).toContainText('address space m3');
  await expect(composition.getByTestId('composition-node-hart')).toHaveAttribute('data-architecture', 'riscv');
  await expect(composition.getByTestId('composition-node-m3')).toHaveAttribute('data-architecture', 'arm');
  expect(await borderColour(composition.getByTestId('composition-node-hart'))).toBe(await borderColour(rv32));
  expect(await borderColour(composition.getByTestId('composition-node-m3'))).toBe(await borderColour(m3Entry));
  expect(await borderColour(armCluster)).toBe(await borderColour(m3Entry));
  await expect(composition.getByTestId('architecture-legend')).toHaveText(/RISC-V\s*ARM/);
  await page.getByTestId('board-graph').screenshot({ path: testInfo.outputPath('composition-clusters.png') });

  // Each CPU's view of memory: a bus per address space, said whose view it is.
  await page.getByTestId('tab-memory').click();
  const memory = page.getByTestId('view-memory');
  await expect(memory.getByTestId('memory-node-hart bus')).toContainText('view of hart (RISC-V)');
  await expect(memory.getByTestId('memory-node-m3 bus')).toContainText('view of m3 (ARM)');
  await mapRegion(page, memory, 'hart bus', 'ram.mem', '0x80000000');
  await mapRegion(page, memory, 'hart bus', 'uart0.regs', '0x10000000');
  await mapRegion(page, memory, 'hart bus', 'plic.regs', '0x0c000000');
  await mapRegion(page, memory, 'm3 bus', 'ram0.mem', '0x0');
  await mapRegion(page, memory, 'm3 bus', 'ram1.mem', '0x20000000');
  await mapRegion(page, memory, 'm3 bus', 'uart1.regs', '0x40004000');
  await expect.poll(() => designDocument(page)).toContain('"map": "uart1.regs",\n      "at": "0x40004000",\n      "space": "m3"');
  // the mailbox: side a in the hart's view, side b in the M3's
  await mapRegion(page, memory, 'hart bus', 'mailbox.a.regs', '0x11000000');
  await mapRegion(page, memory, 'm3 bus', 'mailbox.b.regs', '0x40010000');
  // RAM both see: mapped in the hart's view, then shown in the M3's at its own address
  await mapRegion(page, memory, 'hart bus', 'ram2.mem', '0x90000000');
  await memory.locator('.react-flow__controls-fitview').click();
  await dragBetween(page, memory.getByTestId('handle-m3 bus-out:map'), memory.getByTestId('handle-ram2.mem-in:map'));
  await expect(page.getByTestId('connect-prompt')).toContainText('Show ram2.mem (at 0x90000000 in address space hart) in address space m3 too, at');
  await page.getByTestId('prompt-address').fill('0x38000000');
  await page.keyboard.press('Enter');
  await expect.poll(() => designDocument(page)).toContain('"alias": "ram2.mem",\n      "at": "0x38000000",\n      "space": "m3"');
  // one CPU's view alone
  await page.getByTestId('memory-view-cpu').selectOption({ label: 'm3 (ARM, address space m3)' });
  await expect(memory.getByTestId('memory-node-hart bus')).toHaveCount(0);
  await memory.locator('.react-flow__controls-fitview').click();
  await expect(memory.getByTestId('memory-node-uart1.regs')).toBeVisible();
  await expect(memory.getByTestId('memory-node-uart0.regs')).toHaveCount(0);
  await expect(memory.getByTestId('memory-node-hart bus')).toHaveCount(0);
  await expect(memory.getByTestId('memory-node-alias @0x38000000')).toContainText('alias of ram2.mem');
  await expect(memory.getByTestId('memory-node-mailbox.b.regs')).toContainText('0x40010000');
  await page.getByTestId('board-graph').screenshot({ path: testInfo.outputPath('memory-m3.png') });
  await page.getByTestId('memory-view-cpu').selectOption({ label: 'every CPU (all address spaces)' });
  await memory.locator('.react-flow__controls-fitview').click();
  await expect(memory.getByTestId('memory-node-uart0.regs')).toBeVisible();

  // Both interrupt controllers: the PLIC into the hart, the M3's NVIC lines as its inputs.
  await page.getByTestId('tab-irq').click();
  const irq = page.getByTestId('view-irq');
  await dragBetween(page, irq.getByTestId('handle-uart0-out:irq'), irq.getByTestId('handle-plic-in:in'));
  await expect(page.getByTestId('prompt-target-line')).toHaveValue('10');
  await page.keyboard.press('Enter');
  await dragBetween(page, irq.getByTestId('handle-plic-out:meip'), irq.getByTestId('handle-hart-in:meip'));
  await dragBetween(page, irq.getByTestId('handle-uart1-out:rx'), irq.getByTestId('handle-m3-in:irq'));
  await page.getByTestId('prompt-target-line').selectOption('0');
  await page.keyboard.press('Enter');
  await expect.poll(() => designDocument(page)).toContain('"from": "uart1.rx",\n      "to": "m3.irq[0]"');
  // the mailbox's sides: a into the PLIC (source 11), b into the M3's NVIC (line 1)
  await dragBetween(page, irq.getByTestId('handle-mailbox-out:a.irq'), irq.getByTestId('handle-plic-in:in'));
  await page.getByTestId('prompt-target-line').selectOption('11');
  await page.keyboard.press('Enter');
  await dragBetween(page, irq.getByTestId('handle-mailbox-out:b.irq'), irq.getByTestId('handle-m3-in:irq'));
  await page.getByTestId('prompt-target-line').selectOption('1');
  await page.keyboard.press('Enter');
  await expect.poll(() => designDocument(page)).toContain('"from": "mailbox.b.irq",\n      "to": "m3.irq[1]"');
  await expect.poll(() => designDocument(page)).toContain('"from": "mailbox.a.irq",\n      "to": "plic.in[11]"');
  await expect(irq.getByTestId('irq-node-m3')).toContainText('irq[32]');
  await page.getByTestId('board-graph').screenshot({ path: testInfo.outputPath('irq-both-controllers.png') });

  // Firmware for each CPU: the one selected gets the file.
  await page.getByTestId('tab-composition').click();
  await composition.getByTestId('composition-node-hart').click({ position: { x: 24, y: 12 } }); // near its title: the node may be cut off at the view's edge
  await openFirmware(page, 'echo.elf', firmwareFile('echo.elf'));
  await composition.getByTestId('composition-node-m3').click({ position: { x: 24, y: 12 } }); // near its title: the node may be cut off at the view's edge
  await openFirmware(page, 'uart-echo.elf', firmwareFile('arm/uart-echo.elf'));
  await expect(page.getByTestId('problem-count')).toHaveText('0');

  // A terminal per UART, each fed from its own stream; typing goes to the tab's UART.
  await expect.poll(() => streamText(page, 'uart0'), { timeout: 20_000 }).toContain("echo: type something, 'q' quits");
  await expect.poll(() => streamText(page, 'uart1')).toContain("uart-echo: type something, 'q' quits");
  expect(await streamText(page, 'uart0')).not.toContain('uart-echo');
  await expect(page.getByTestId('terminal-tab-uart0')).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('tab-memory').click();
  await recordActiveEdges(page);
  await page.getByTestId('terminal-tab-uart1').click();
  await page.getByTestId('terminal').click();
  await page.keyboard.type('arm!');
  await expect.poll(() => streamText(page, 'uart1')).toContain('arm!');
  await page.getByTestId('terminal-tab-uart0').click();
  await page.getByTestId('terminal').click();
  await page.keyboard.type('rv!');
  await expect.poll(() => streamText(page, 'uart0')).toContain('rv!');
  expect(await streamText(page, 'uart0')).not.toContain('arm!');
  expect(await streamText(page, 'uart1')).not.toContain('rv!');
  await page.screenshot({ path: testInfo.outputPath('terminals.png') });

  // Live activity on both sides: each UART's mapping pulsed as its CPU echoed.
  const seen = await activeEdges(page);
  expect(seen).toContain('space:m3 -> /machine/uart1.regs');
  expect(seen).toContain('space:hart -> /machine/uart0.regs');

  // The debugger follows the chosen CPU, in its own ISA.
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await page.getByTestId('toggle-debug').click();
  const cpuChoice = page.getByTestId('disasm-hart');
  await expect(cpuChoice.locator('option')).toHaveText(['hart (RISC-V)', 'm3 (ARM)']);
  // selecting a CPU in a view makes the debugger follow it (the M3 was selected last, for its firmware)
  await expect(cpuChoice).toHaveValue('/machine/m3');
  await page.getByTestId('tab-composition').click();
  await composition.getByTestId('composition-node-hart').click({ position: { x: 24, y: 12 } });
  await expect(cpuChoice).toHaveValue('/machine/hart');
  await expect(page.getByTestId('registers-hart')).toBeVisible();
  await composition.getByTestId('composition-node-m3').click({ position: { x: 24, y: 12 } });
  await expect(cpuChoice).toHaveValue('/machine/m3');
  const m3Registers = page.getByTestId('registers-m3');
  await expect(m3Registers.locator('[data-register="r0"]')).toBeVisible();
  await expect(m3Registers.locator('[data-register="xpsr"]')).toBeVisible();
  await expect(page.getByTestId('registers-hart')).toHaveCount(0);
  await expect(page.getByTestId('disassembly')).toContainText('cpsid');
  // the memory view reads the M3's address space
  await page.getByTestId('memory-address').fill('0x20000000');
  await expect(page.getByTestId('memory-region')).toContainText('ram1.mem');
  // a breakpoint on the M3's receive handler: only the M3 stops there
  const handler = '00000208';
  await page.getByTestId('disasm-address').fill(handler);
  await page.getByTestId('disasm-address').press('Enter');
  const line = page.getByTestId('disassembly').locator(`[data-testid="disasm-line"][data-address="${handler}"]`);
  await expect(page.getByTestId('disassembly')).toContainText('uart0_rx_handler');
  await line.getByTestId('disasm-gutter').click();
  await expect(line).toHaveAttribute('data-breakpoint', 'true');
  await page.getByTestId('run').click();
  await page.getByTestId('terminal-tab-uart1').click();
  await page.getByTestId('terminal').click();
  await page.keyboard.type('x');
  await expect(page.getByTestId('breakpoint-stop')).toHaveText(`paused: breakpoint at 0x${handler} on m3`);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(m3Registers.getByTestId('pc')).toContainText(handler);
  // Step advances the M3, not the hart
  await page.getByTestId('step').click();
  await expect(m3Registers.getByTestId('pc')).not.toContainText(handler);
  await page.screenshot({ path: testInfo.outputPath('debugger-m3.png') });
  // the hart: x registers and RISC-V code
  await cpuChoice.selectOption('/machine/hart');
  const hartRegisters = page.getByTestId('registers-hart');
  await expect(hartRegisters.locator('[data-register="ra"]')).toBeVisible();
  await expect(hartRegisters.locator('[data-register="xpsr"]')).toHaveCount(0);
  await expect(page.getByTestId('registers-m3')).toHaveCount(0);
  await expect(page.getByTestId('disassembly')).toContainText('wfi');
  await page.getByTestId('memory-address').fill('0x80000000');
  await expect(page.getByTestId('memory-region')).toContainText('ram.mem');
  await page.screenshot({ path: testInfo.outputPath('debugger-hart.png') });
  expect(errors).toEqual([]);
});
