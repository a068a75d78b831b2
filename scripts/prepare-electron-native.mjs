#!/usr/bin/env node
// Prepares the Electron-ABI build of better-sqlite3 in its own folder, out/native/electron-<version>-<platform>-<arch>/
// better_sqlite3.node, without touching node_modules/better-sqlite3 (which stays built for Node: the tests use it).
// The desktop app loads it through better-sqlite3's `nativeBinding` option (src-main/electron/native-binding.ts);
// packaging copies it into the app (scripts/after-pack.cjs).
//
// First `prebuild-install --runtime electron` (downloads the project's prebuilt binary from its GitHub releases),
// then `@electron/rebuild` on a private copy of the module's sources (needs Electron's headers and a C++ toolchain).
//
// Usage: node scripts/prepare-electron-native.mjs [--platform P] [--arch A] [--electron-version V]
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The Electron version the project depends on (from the installed electron package). */
export function getElectronVersion(root = appRoot) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'))
    .version
}

/** Same layout as getElectronNativeDir in src-main/electron/native-binding.ts. */
export function getNativeDir(root, electronVersion, platform, arch) {
  return join(root, 'out', 'native', `electron-${electronVersion}-${platform}-${arch}`)
}

/**
 * Makes sure the Electron build exists; returns `{ ok: true, path }` or `{ ok: false, reason }`. Never throws.
 * `log` receives one line per step tried.
 */
export function prepareElectronNative({
  root = appRoot,
  electronVersion = getElectronVersion(root),
  platform = process.platform,
  arch = process.arch,
  log = () => {}
} = {}) {
  const nativeDir = getNativeDir(root, electronVersion, platform, arch)
  const target = join(nativeDir, 'better_sqlite3.node')
  if (existsSync(target)) return { ok: true, path: target }
  const moduleDir = join(root, 'node_modules', 'better-sqlite3')
  const work = join(root, 'out', 'native', `.work-${electronVersion}-${platform}-${arch}`)
  const reasons = []
  try {
    // 1. prebuild-install in a scratch copy of the package manifest (it writes build/Release under its cwd).
    rmSync(work, { recursive: true, force: true })
    mkdirSync(work, { recursive: true })
    copyFileSync(join(moduleDir, 'package.json'), join(work, 'package.json'))
    log(
      `fetching the prebuilt better-sqlite3 for Electron ${electronVersion} (${platform}-${arch})`
    )
    const prebuild = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'prebuild-install', 'bin.js'),
        '--runtime',
        'electron',
        '--target',
        electronVersion,
        '--platform',
        platform,
        '--arch',
        arch
      ],
      { cwd: work, encoding: 'utf8', timeout: 120_000 }
    )
    const prebuilt = join(work, 'build', 'Release', 'better_sqlite3.node')
    if (prebuild.status === 0 && existsSync(prebuilt)) return install(prebuilt, nativeDir, target)
    reasons.push(`prebuild-install: ${lastLine(prebuild.stderr) || `exit ${prebuild.status}`}`)

    // 2. @electron/rebuild on a private copy of the sources (only for the machine's own platform).
    if (platform === process.platform) {
      rmSync(work, { recursive: true, force: true })
      const copy = join(work, 'node_modules', 'better-sqlite3')
      mkdirSync(dirname(copy), { recursive: true })
      cpSync(moduleDir, copy, {
        recursive: true,
        filter: (src) => !src.startsWith(join(moduleDir, 'build'))
      })
      writeFileSync(
        join(work, 'package.json'),
        JSON.stringify({
          name: 'tapedeck-native',
          private: true,
          dependencies: { 'better-sqlite3': '*' }
        })
      )
      log(`building better-sqlite3 from source for Electron ${electronVersion}`)
      const rebuild = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js'),
          '--version',
          electronVersion,
          '--arch',
          arch,
          '--module-dir',
          work,
          '--only',
          'better-sqlite3',
          '--force'
        ],
        { cwd: work, encoding: 'utf8', timeout: 900_000 }
      )
      const built = join(copy, 'build', 'Release', 'better_sqlite3.node')
      if (rebuild.status === 0 && existsSync(built)) return install(built, nativeDir, target)
      reasons.push(`@electron/rebuild: ${lastLine(rebuild.stderr) || `exit ${rebuild.status}`}`)
    }
  } catch (error) {
    reasons.push(String(error))
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return { ok: false, reason: reasons.join('; ') }
}

function install(file, nativeDir, target) {
  mkdirSync(nativeDir, { recursive: true })
  copyFileSync(file, target)
  return { ok: true, path: target }
}

/** The last line of a tool's error output that is not a stack frame. */
function lastLine(text) {
  const lines = (text ?? '').split('\n').map((line) => line.trim())
  return lines.filter((line) => line !== '' && !line.startsWith('at ')).at(-1) ?? ''
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string' },
      arch: { type: 'string' },
      'electron-version': { type: 'string' }
    }
  })
  const result = prepareElectronNative({
    platform: values.platform,
    arch: values.arch,
    electronVersion: values['electron-version'],
    log: (line) => console.log(line)
  })
  if (result.ok) console.log(`Electron build of better-sqlite3: ${result.path}`)
  else console.error(`Could not prepare the Electron build of better-sqlite3: ${result.reason}`)
  process.exitCode = result.ok ? 0 : 1
}
