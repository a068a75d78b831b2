#!/usr/bin/env node
// `npm start`: builds the app (electron-vite) and opens the desktop app on the demo data. Where no Electron binary can
// be had (no download, no display), says so in one line and serves the same app from the local web host instead.
//
// The desktop app needs better-sqlite3 built for Electron's ABI; that build is prepared in out/native/ (never in
// node_modules, whose Node build the tests use) and handed over through TAPEDECK_NATIVE_BINDING.
// Extra arguments are passed on: `npm start -- export.json` opens a file in the desktop app (imports it before
// serving, in the web fallback).
import { spawn, spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'
import { prepareElectronNative } from './prepare-electron-native.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const extraArgs = process.argv.slice(2)

register()
const { chooseStartMode, findElectronBinary, formatWebFallbackLine } =
  await import('../src-main/electron/electron-binary.ts')

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit']
  }
)
if (build.status !== 0) {
  console.error('npm start: the build failed (see above).')
  process.exit(build.status ?? 1)
}

const electron = findElectronBinary({ electronPackageDir: join(root, 'node_modules', 'electron') })
const startMode = chooseStartMode(electron, process.platform, process.env)
let fallbackReason = startMode.mode === 'web' ? startMode.reason : null

let nativeBinding = null
if (fallbackReason === null) {
  const native = prepareElectronNative({ root, log: (line) => console.log(line) })
  if (native.ok) nativeBinding = native.path
  else fallbackReason = `no Electron build of better-sqlite3 (${native.reason})`
}

const child =
  fallbackReason === null
    ? spawn(startMode.executablePath, [root, ...extraArgs], {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, TAPEDECK_NATIVE_BINDING: nativeBinding }
      })
    : startWebHost(fallbackReason)

function startWebHost(reason) {
  console.log(formatWebFallbackLine(reason))
  // Files named on the command line are imported first, as the desktop app would open them.
  const files = extraArgs.filter((arg) => !arg.startsWith('-'))
  if (files.length > 0) {
    spawnSync(process.execPath, [join(root, 'bin', 'tapedeck'), 'import', ...files], {
      cwd: root,
      stdio: 'inherit'
    })
  }
  return spawn(process.execPath, [join(root, 'bin', 'tapedeck'), 'serve', '--demo'], {
    cwd: root,
    stdio: 'inherit'
  })
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0)
})
