import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto'];

// The boundaries of DESIGN.md section 1: only src-main/electron touches
// Electron; src-shared is pure; the renderer sees only the contract.
const noElectron = {
  paths: [
    {
      name: 'electron',
      message: 'Only src-main/electron/ may import electron.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'coverage/', '.tmp/'] },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noElectron,
          patterns: [
            {
              group: [
                ...nodeBuiltins,
                'better-sqlite3',
                'execa',
                '../src-main/*',
                '../src-renderer/*',
              ],
              message: 'src-shared holds types and pure validation only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noElectron,
          patterns: [
            {
              group: [
                ...nodeBuiltins,
                'better-sqlite3',
                'execa',
                '../src-main/*',
                '../../src-main/*',
              ],
              message: 'The renderer talks to main through the contract only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only']",
          message: 'No focused tests.',
        },
        {
          selector: "CallExpression[callee.property.name='skip']",
          message: 'No skipped tests.',
        },
      ],
    },
  },
);
