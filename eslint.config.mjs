// ESLint for the whole repository (flat config): typescript-eslint's recommended rules,
// plus the type-aware rules that catch what hurts most in message-driven code — a
// promise nobody awaits, or a promise passed where a callback's result is ignored.
// Formatting is Prettier's job (`npm run format:check`), not ESLint's.
// No file reaches into another object's underscore members: a library's private
// internals change without notice in any release, so only its public API is used.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** `x._member` and `x['_member']` on anything but `this`: another object's private internals. */
const privateMemberAccess = [
  {
    selector: "MemberExpression[computed=false][property.name=/^_/]:not([object.type='ThisExpression'])",
    message: "Another object's `_member` is private to it (a library's internals change without notice): use its public API.",
  },
  {
    selector: "MemberExpression[computed=true][property.value=/^_/]:not([object.type='ThisExpression'])",
    message: "Another object's `['_member']` is private to it (a library's internals change without notice): use its public API.",
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'data/', 'bench/results/', 'test/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { 'no-restricted-syntax': ['error', ...privateMemberAccess] },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // `_name` marks a parameter or a destructured field left out on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
