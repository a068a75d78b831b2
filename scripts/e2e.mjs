#!/usr/bin/env node
// `npm run test:e2e`: builds the renderer, then runs the Playwright suite (e2e/*.spec.ts) headless in Debian's
// Chromium against `tapedeck serve`. Extra arguments go to `playwright test` (e.g. a spec file or `-g <title>`).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  console.error(`e2e: no Chromium at ${chromium} (set CHROMIUM_PATH); the e2e tests were not run.`)
  process.exit(1)
}

function run(label, command, args, env = {}) {
  const started = Date.now()
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (result.status !== 0) {
    console.error(`e2e: ${label} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status ?? 1)
  }
  return Date.now() - started
}

const buildMs = run('renderer build', process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'])
console.log(`e2e: renderer built in ${(buildMs / 1000).toFixed(1)} s`)
const testMs = run(
  'playwright',
  process.execPath,
  [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '--config', 'playwright.config.ts', ...process.argv.slice(2)],
  { TAPEDECK_RENDERER_DIR: join(root, 'out', 'renderer'), CHROMIUM_PATH: chromium }
)
console.log(`e2e: suite finished in ${(testMs / 1000).toFixed(1)} s`)
