import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/', 'lib/', 'node_modules/', 'examples/', '__tests__/fixtures/', 'coverage/', 'scratch/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // One-way pipeline: only the GitHub edge touches the Actions toolkit.
    files: ['src/**/*.ts'],
    ignores: ['src/github/**', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@actions/*'], message: 'Only src/github/ and src/main.ts may use @actions/*.' },
          ],
        },
      ],
    },
  },
);
