// The register panel on a hart with F and D: a user makes a riscv-virt@1.2 board from the machine
// type, opens a firmware that computes with floats and doubles, and the panel shows its
// floating-point registers — the raw bits and the value (a NaN-boxed single as the single) — folds
// them away and back with the mouse or the keyboard, and highlights the ones a step changed.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { firmwareFile, instructions, openDesigner, openFirmware, symbolAddress, terminalText, waitForGreeting } from './helpers';

const FIRMWARE = 'float-demo.elf';

/** IEEE 754 bits of a double, 16 hex digits. */
function doubleBits(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** IEEE 754 bits of a single, 8 hex digits. */
function singleBits(value: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return view.getUint32(0).toString(16).padStart(8, '0');
}

// The firmware leaves sqrt(2) in ft0 as a double and in ft1 as a single. IEEE 754 square roots are
// correctly rounded, as JavaScript's Math.sqrt is; rounding that double to single gives the
// correctly rounded single (53 ≥ 2·24 + 2 bits, so no double-rounding error).
const ROOT2 = Math.sqrt(2);
const ROOT2_SINGLE = Math.fround(ROOT2);

function floatRegister(page: Page, name: string): Locator {
  return page.getByTestId('registers-cpu0').getByTestId('float-registers').locator(`[data-register="${name}"]`);
}

async function riscvVirt12WithFloatDemo(page: Page): Promise<void> {
  await waitForGreeting(page);
  await page.getByTestId('new-board').selectOption('riscv-virt@1.2');
  await expect(page.getByTestId('board-title')).toContainText('riscv-virt');
  await openFirmware(page, FIRMWARE, firmwareFile(FIRMWARE));
  await expect.poll(() => terminalText(page)).toContain('2/3 as a single');
  await expect(page.getByTestId('run-state')).toHaveText('halted: pass');
}

test('a riscv-virt@1.2 board runs float firmware; the register panel shows its float registers', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await riscvVirt12WithFloatDemo(page);
  expect(await terminalText(page)).toContain(`sqrt(2) = 1.414213562 (double 0x${doubleBits(ROOT2)})`);

  await page.getByTestId('toggle-debug').click();
  const section = page.getByTestId('registers-cpu0').getByTestId('float-registers');
  await expect(section).toBeVisible();
  await expect(section.locator('[data-register]')).toHaveCount(32);
  // ABI names as objdump prints them, f0–f31 in order.
  await expect(section.locator('[data-register]').first()).toHaveAttribute('data-register', 'ft0');
  await expect(section.locator('[data-register]').nth(10)).toHaveAttribute('data-register', 'fa0');
  await expect(section.locator('[data-register]').last()).toHaveAttribute('data-register', 'ft11');

  // ft0: the double, 16 hex digits; ft1: the single, NaN-boxed (upper half all ones).
  await expect(floatRegister(page, 'ft0')).toContainText(doubleBits(ROOT2));
  await expect(floatRegister(page, 'ft0').getByTestId('float-value')).toHaveText(String(ROOT2));
  await expect(floatRegister(page, 'ft1')).toContainText(`ffffffff${singleBits(ROOT2_SINGLE)}`);
  await expect(floatRegister(page, 'ft1').getByTestId('float-value')).toHaveText('1.4142135 (s)'); // the shortest decimal that reads back as ROOT2_SINGLE
  expect(Math.fround(1.4142135)).toBe(ROOT2_SINGLE);

  // Fold the section with the mouse; open it again from the keyboard.
  const fold = section.getByTestId('toggle-float-registers');
  await expect(fold).toHaveAttribute('aria-expanded', 'true');
  await fold.click();
  await expect(fold).toHaveAttribute('aria-expanded', 'false');
  await expect(section.locator('[data-register]')).toHaveCount(0);
  await expect(page.getByTestId('registers-cpu0').locator('[data-register="sp"]')).toBeVisible(); // the integer registers stay
  await fold.focus();
  await page.keyboard.press('Enter');
  await expect(fold).toHaveAttribute('aria-expanded', 'true');
  await expect(floatRegister(page, 'ft0')).toContainText(doubleBits(ROOT2));
  await page.keyboard.press('Space');
  await expect(fold).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Space');
  await expect(fold).toHaveAttribute('aria-expanded', 'true');
  expect(errors).toEqual([]);
});

test('a step that writes a float register highlights it, and only it', async ({ page }) => {
  const { errors } = await openDesigner(page);
  await riscvVirt12WithFloatDemo(page);
  await page.getByTestId('toggle-debug').click();

  // A breakpoint where the firmware publishes its results (publish() writes ft0, then ft1); Reset
  // runs the firmware again from the start, and it stops there.
  const publish = symbolAddress(FIRMWARE, 'publish');
  await page.getByTestId('disasm-address').fill(publish);
  await page.getByTestId('disasm-address').press('Enter');
  const line = page.getByTestId('disassembly').locator(`[data-testid="disasm-line"][data-address="${publish}"]`);
  await line.getByTestId('disasm-gutter').click();
  await expect(line).toHaveAttribute('data-breakpoint', 'true');
  const finished = await instructions(page);
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('breakpoint-stop')).toHaveText(`paused: breakpoint at 0x${publish} on cpu0`);
  expect(await instructions(page)).toBeLessThan(finished);
  const ft0 = floatRegister(page, 'ft0');
  const ft1 = floatRegister(page, 'ft1');
  await expect(ft0).not.toContainText(doubleBits(ROOT2));

  // Step until ft0 takes the double: that step highlights ft0 and not ft1.
  for (let i = 0; i < 20 && !((await ft0.textContent()) ?? '').includes(doubleBits(ROOT2)); i++) {
    const before = await instructions(page);
    await page.getByTestId('step').click();
    await expect.poll(() => instructions(page)).toBe(before + 1);
    await expect(page.getByTestId('registers-cpu0').getByTestId('pc')).toHaveAttribute('data-changed', 'true');
  }
  await expect(ft0).toContainText(doubleBits(ROOT2));
  await expect(ft0).toHaveAttribute('data-changed', 'true');
  await expect(ft0).toHaveClass(/debug__reg--changed/);
  await expect(ft1).not.toHaveAttribute('data-changed', 'true');

  // The next step writes ft1: now ft1 is highlighted and ft0 is not.
  await page.getByTestId('step').click();
  await expect(ft1).toContainText(`ffffffff${singleBits(ROOT2_SINGLE)}`);
  await expect(ft1).toHaveAttribute('data-changed', 'true');
  await expect(ft0).not.toHaveAttribute('data-changed', 'true');
  expect(errors).toEqual([]);
});
