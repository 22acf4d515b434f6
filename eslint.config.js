// The one lint configuration (formatting is Prettier's job: .prettierrc.json).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '**/dist-web/', 'data/', 'test/artifacts/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['dashboard/web/**'], languageOptions: { globals: { ...globals.browser } } },
  // The cockpit's CSP forbids eval: '@linli/contract' compiles validators at import, so the browser takes
  // only types from it, and values from '@linli/contract/browser' (precompiled validators).
  {
    files: ['dashboard/web/src/**'],
    ignores: ['dashboard/web/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@linli/contract',
              allowTypeImports: true,
              message: "In the browser import values from '@linli/contract/browser' (no run-time schema compilation).",
            },
          ],
        },
      ],
    },
  },
  // Node-RED loads its nodes with require(): flows/nodes is CommonJS.
  {
    files: ['flows/nodes/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
