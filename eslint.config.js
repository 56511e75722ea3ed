// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The engine is the pure heart of oos: (object, snapshot, identity, now) -> Decision.
 * This fence keeps I/O, clocks from the environment, the kube client, the logger,
 * metrics and the HTTP server out of it: time, identity and configuration are its inputs, so the
 * webhook, the controller's audit and the offline CLI decide alike.
 */
const engineFence = {
  paths: [
    { name: 'fs', message: 'engine/ is pure: no I/O.' },
    { name: 'node:fs', message: 'engine/ is pure: no I/O.' },
    { name: 'fs/promises', message: 'engine/ is pure: no I/O.' },
    { name: 'node:fs/promises', message: 'engine/ is pure: no I/O.' },
    { name: 'child_process', message: 'engine/ is pure: no processes.' },
    { name: 'node:child_process', message: 'engine/ is pure: no processes.' },
    { name: 'http', message: 'engine/ is pure: no network.' },
    { name: 'node:http', message: 'engine/ is pure: no network.' },
    { name: 'https', message: 'engine/ is pure: no network.' },
    { name: 'node:https', message: 'engine/ is pure: no network.' },
    { name: 'net', message: 'engine/ is pure: no network.' },
    { name: 'node:net', message: 'engine/ is pure: no network.' },
    { name: 'process', message: 'engine/ is pure: identity, time and config are inputs.' },
    { name: 'node:process', message: 'engine/ is pure: identity, time and config are inputs.' },
    { name: '@kubernetes/client-node', message: 'engine/ is pure: no kube client.' },
    { name: 'pino', message: 'engine/ is pure: no logger; return warnings in the Decision.' },
    { name: 'prom-client', message: 'engine/ is pure: metrics belong to webhooks/ and operator/.' },
    { name: 'fastify', message: 'engine/ is pure: HTTP belongs to webhooks/.' },
  ],
  patterns: [
    {
      group: [
        '../webhooks/*',
        '../operator/*',
        '../cli/*',
        '**/webhooks/**',
        '**/operator/**',
        '**/cli/**',
      ],
      message: 'Imports flow api <- engine <- {webhooks, operator, cli}.',
    },
    { group: ['@fastify/*'], message: 'engine/ is pure: HTTP belongs to webhooks/.' },
  ],
};

/** api/ is the bottom layer: schemas only. */
const apiFence = {
  patterns: [
    {
      group: ['**/engine/**', '**/webhooks/**', '**/operator/**', '**/cli/**'],
      message: 'api/ is the bottom layer: nothing above it may be imported.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cluster/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', engineFence],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'engine/ is pure: identity, time and config are inputs.' },
        { name: 'fetch', message: 'engine/ is pure: no network.' },
        { name: 'setTimeout', message: 'engine/ is pure: no timers.' },
        { name: 'setInterval', message: 'engine/ is pure: no timers.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'engine/ is pure: `now` is an input.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'engine/ is pure: `now` is an input.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'engine/ is pure: no randomness.',
        },
      ],
    },
  },
  { files: ['api/**/*.ts'], rules: { 'no-restricted-imports': ['error', apiFence] } },
  {
    files: ['{api,engine,webhooks,operator,cli}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'localeCompare',
          message:
            "Sort with compareText (engine/text.ts): localeCompare orders by the process's locale.",
        },
      ],
    },
  },
);
