// ESLint (flat config), run by `npm test` as the "lint" suite: typescript-eslint's recommended
// rules, with unused variables and imports as errors. Generated and third-party files are ignored.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-*/', 'test-results/', 'playwright-report/', 'firmware/build/', 'public/', '.explore/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      // A variable a closure reads before its one assignment (a device callback that needs the CPU made later) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  // The layers of DESIGN.md, enforced: each layer's product code imports only the layers below it
  // (src/asm is the toolchain leaf; src/graph the board language; src/ui reaches the engine only
  // through the worker). Tests may reach across to build what they check.
  ...layerRules(),
  // Tests mutate board documents as free-form JSON; `any` is kept out of the product's APIs, not its test fixtures.
  { files: ['**/*.test.ts', 'e2e/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);

/** A no-restricted-imports rule per layer: `layer` may not import any of `forbidden` (tests excepted). */
function layerRules() {
  const below = {
    asm: ['graph', 'engine', 'workers', 'ui', 'cli'],
    graph: ['engine', 'workers', 'ui', 'cli'],
    engine: ['workers', 'ui', 'cli'],
    workers: ['ui', 'cli'],
    ui: ['engine', 'cli'],
  };
  return Object.entries(below).map(([layer, forbidden]) => ({
    files: [`src/${layer}/**/*.ts`, `src/${layer}/**/*.tsx`],
    ignores: ['**/*.test.ts', '**/testing.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map((name) => ({
          regex: `^(\\.\\./)+${name}/`,
          message: `src/${layer} must not import src/${name} (DESIGN.md layers${layer === 'ui' && name === 'engine' ? ': the UI reaches the engine through the worker' : ''}).`,
        })),
      }],
    },
  }));
}
