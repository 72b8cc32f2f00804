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
    // A table written as an object literal inherits `constructor`, `toString`, `__proto__`…: looked up with
    // a name from a scanned file, it finds a function, or the write replaces its prototype.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "VariableDeclarator[init.type='ObjectExpression'] > Identifier > TSTypeAnnotation > TSTypeReference[typeName.name='Record'] > TSTypeParameterInstantiation > TSStringKeyword:first-child",
          message:
            'A table keyed by any string must be a Map, or keyedByText() (src/model/keyed.ts): an object literal inherits constructor, toString, __proto__.',
        },
      ],
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
