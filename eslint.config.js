// Type-aware linting: floating promises and misused promises are errors in a server.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', '.tmp/', 'dist/', '**/*.mjs', '**/*.mts', '.dependency-cruiser.cjs'] },
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
    // The hosted pages' scripts (src/hosted/assets, src/hosted-factors/<factor>/assets; served as they are under CSP script-src 'self'): plain browser scripts.
    files: ['src/hosted/assets/**/*.js', 'src/hosted-factors/*/assets/**/*.js'],
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      globals: Object.fromEntries(['window', 'document', 'navigator', 'fetch', 'EventSource', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'AudioContext', 'AudioWorkletNode', 'AudioWorkletProcessor', 'registerProcessor', 'sampleRate', 'Blob', 'FormData', 'console'].map((name) => [name, 'readonly'])),
    },
    rules: tseslint.configs.disableTypeChecked.rules,
  },
  {
    // Demo Bank is a separate application: it reaches Verity only through @verity/sdk, never its source.
    files: ['demo/**/*.ts'],
    ignores: ['demo/test/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/**', '../src', '../../src', '../../../src'], message: 'Demo Bank uses only @verity/sdk, its own files and its npm dependencies.' }] }],
    },
  },
  {
    // Demo Bank's page scripts (demo/static, served under CSP script-src 'self'): plain browser modules.
    files: ['demo/static/**/*.js'],
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      globals: Object.fromEntries(['document', 'fetch', 'setTimeout'].map((name) => [name, 'readonly'])),
    },
    rules: tseslint.configs.disableTypeChecked.rules,
  },
  {
    // Domain modules take narrow dependencies (docs/architecture.md): each declares the fields it uses,
    // `type XDeps = Pick<AppContext, 'clock' | 'stores'>`, never the whole context.
    files: ['src/{verify,factors,voice,handoff,services,accounts,send-gate,channels}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "TSTypeAnnotation > TSTypeReference[typeName.name='AppContext']", message: "A domain module takes what it uses: Pick<AppContext, 'clock' | …> (see docs/architecture.md)." },
        { selector: "TSTypeReference[typeName.name='Pick'][typeArguments.params.0.typeName.name='AppContext'] Literal[value='db']", message: 'Domain code reaches the database through ctx.stores (src/store/unit-of-work.ts), never ctx.db.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // Without a message, a failing assert.ok re-parses the test file to quote the expression; tsx runs
    // whitespace-minified code, so that parse goes quadratic and a failure stalls for minutes.
    files: ['**/*.test.ts', 'test/**/*.ts', 'demo/test/**/*.ts', 'packages/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[arguments.length=1][callee.object.name='assert'][callee.property.name='ok']", message: 'Give assert.ok a message (see eslint.config.js).' },
        { selector: "CallExpression[arguments.length=1][callee.name='assert']", message: 'Give assert a message (see eslint.config.js).' },
      ],
    },
  },
);
