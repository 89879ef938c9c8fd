// The lint suite of `npm test` must catch what issue 11 asks of it: unused variables and imports.
// This lints small sources with the project's own eslint.config.js, so weakening the config fails here.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

async function ruleIds(source: string, file = 'src/graph/lint-probe.ts'): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(source, { filePath: `${root}${file}` });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('eslint.config.js', () => {
  it('reports an unused import', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = 1;\n")).toContain('@typescript-eslint/no-unused-vars');
  });

  it('reports an unused local variable', async () => {
    expect(await ruleIds('export function f(): number {\n  const unused = 2;\n  return 1;\n}\n')).toContain('@typescript-eslint/no-unused-vars');
  });

  it('accepts clean code', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const read = (p: string): string => readFileSync(p, 'utf8');\n")).toEqual([]);
  });

  it('reports `any` in product code but not in tests', async () => {
    const source = 'export function f(x: any): unknown {\n  return x;\n}\n';
    expect(await ruleIds(source)).toContain('@typescript-eslint/no-explicit-any');
    expect(await ruleIds(source, 'src/graph/lint-probe.test.ts')).toEqual([]);
  });

  it('keeps the layers of DESIGN.md: a lower layer importing a higher one is an error, a test may', async () => {
    const importing = (what: string) => `import { x } from '${what}';\nexport const y = x;\n`;
    expect(await ruleIds(importing('../engine/machine.ts'), 'src/graph/lint-probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(importing('../../engine/cpu/riscv/rv32.ts'), 'src/asm/riscv/lint-probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(importing('../graph/index.ts'), 'src/asm/lint-probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(importing('../engine/machine.ts'), 'src/ui/lint-probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(importing('../ui/store.ts'), 'src/workers/lint-probe.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(importing('../asm/index.ts'), 'src/graph/lint-probe.ts')).toEqual([]);
    expect(await ruleIds(importing('../graph/index.ts'), 'src/engine/lint-probe.ts')).toEqual([]);
    expect(await ruleIds(importing('../engine/machine.ts'), 'src/graph/lint-probe.test.ts')).toEqual([]);
  });
});
