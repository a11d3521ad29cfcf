// Type-aware linting: floating promises and misused promises are errors in a server.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', '.tmp/', '**/*.mjs', '**/*.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The virtual phone's page scripts: plain browser ES modules served as they are (no build, not in
    // tsconfig), so they are linted without type information, against the browser globals they use.
    files: ['src/virtual-phone/static/**/*.js'],
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      globals: Object.fromEntries(['document', 'localStorage', 'fetch', 'EventSource', 'crypto', 'URL', 'setInterval'].map((name) => [name, 'readonly'])),
    },
    rules: tseslint.configs.disableTypeChecked.rules,
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
