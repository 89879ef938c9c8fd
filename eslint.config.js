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
  // Tests mutate board documents as free-form JSON; `any` is kept out of the product's APIs, not its test fixtures.
  { files: ['**/*.test.ts', 'e2e/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
