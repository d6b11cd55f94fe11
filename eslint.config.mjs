// @ts-check
/**
 * Lint: ESLint's and typescript-eslint's recommended rules, type-unaware (no build or type check needed,
 * so it stays quick), tuned only where this codebase has a reason, stated at each rule. Formatting is
 * prettier's (.prettierrc.json). Run with `npm run lint` or `make lint`.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // the few JavaScript files (bin/segkit.js, bench/*.js, scripts/notebook.js) are CommonJS scripts, not linted
  { ignores: ['dist/', 'node_modules/', 'reports/', 'bench/results/', 'data/', 'notebooks/', '**/*.js', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      // segkit finds control characters on purpose: it strips or refuses them in terminal text, CSV cells,
      // identifiers, SQL and HTML (src/cli/safe-text.ts, io/mapping.ts, report/build.ts, …)
      'no-control-regex': 'off',
      // a leading _ marks a value left unused on purpose: a key dropped by destructuring
      // (`const { onProgress: _p, ...rest } = options`), a callback argument kept for its position
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
