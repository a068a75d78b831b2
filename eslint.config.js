import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'out',
      'dist',
      'release',
      'test-results',
      'playwright-report',
      'test/fixtures',
      'resources',
      'bench/.data'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['src-main/**/*.{ts,mjs}', 'bench/**/*.ts', 'e2e/**/*.ts', 'scripts/**/*.{js,mjs,ts}', 'bin/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } }
  },
  {
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'electron',
                'better-sqlite3',
                'react',
                'react-dom',
                '../../*',
                ...['db', 'ingest', 'analytics', 'sync', 'assets', 'api', 'web', 'electron', 'cli', 'core', 'test'].map(
                  (folder) => `../${folder}/*`
                )
              ],
              message: 'src-main/shared is pure TypeScript: no Node, Electron, React or code outside shared.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src-main/{db,ingest,analytics,sync,api,assets,cli,web}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/electron may import electron.' }] }]
    }
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron', 'better-sqlite3'], message: 'The renderer never touches Node, Electron or SQLite.' },
            { group: ['**/src-main/**', '../src-main/*', '!@shared/*'], message: 'Import shared code as @shared/….' }
          ]
        }
      ]
    }
  }
)
