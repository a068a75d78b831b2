import { copyFileSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { closeAppContext, openAppContext } from '../core/app-context'
import { getSchemaVersion } from '../db/migrate'
import { createTempDir } from '../test/test-db'
import { chooseStartMode, findElectronBinary, formatWebFallbackLine } from './electron-binary'
import {
  getElectronNativeBindingPath,
  getElectronNativeDir,
  isNativeAbiMismatch,
  resolveNativeBinding
} from './native-binding'

describe('resolveNativeBinding', () => {
  const base = {
    isPackaged: false,
    appRoot: '/app',
    electronVersion: '45.5.0',
    platform: 'linux',
    arch: 'x64',
    env: {}
  }

  it('uses the Electron build npm start prepared, only in development and only when it exists', () => {
    const expected = '/app/out/native/electron-45.5.0-linux-x64/better_sqlite3.node'
    expect(resolveNativeBinding({ ...base, exists: (p) => p === expected })).toBe(expected)
    expect(resolveNativeBinding({ ...base, exists: () => false })).toBeUndefined()
    expect(resolveNativeBinding({ ...base, isPackaged: true, exists: () => true })).toBeUndefined()
    expect(getElectronNativeDir('/app', '45.5.0', 'linux', 'x64')).toBe(
      '/app/out/native/electron-45.5.0-linux-x64'
    )
  })

  it('lets TAPEDECK_NATIVE_BINDING override', () => {
    expect(
      resolveNativeBinding({
        ...base,
        env: { TAPEDECK_NATIVE_BINDING: '/x.node' },
        exists: () => false
      })
    ).toBe('/x.node')
  })

  it('never lets the variable choose the native library of a packaged app', () => {
    expect(
      resolveNativeBinding({
        ...base,
        isPackaged: true,
        env: { TAPEDECK_NATIVE_BINDING: '/tmp/evil.node' },
        exists: () => true
      })
    ).toBeUndefined()
  })
})

describe('findElectronBinary', () => {
  it('prefers ELECTRON_OVERRIDE_DIST_PATH, then the installed binary, and never downloads', () => {
    const files = new Map([['/nm/electron/path.txt', 'electron']])
    const readText = (p: string) => files.get(p) ?? null
    expect(
      findElectronBinary({
        electronPackageDir: '/nm/electron',
        env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' },
        platform: 'linux',
        exists: (p) => p === '/opt/electron/electron',
        readText
      })
    ).toEqual({ found: true, path: '/opt/electron/electron' })
    expect(
      findElectronBinary({
        electronPackageDir: '/nm/electron',
        env: {},
        exists: (p) => p === '/nm/electron/dist/electron',
        readText
      })
    ).toEqual({ found: true, path: '/nm/electron/dist/electron' })
    expect(
      findElectronBinary({
        electronPackageDir: '/nm/electron',
        env: {},
        exists: () => false,
        readText
      })
    ).toMatchObject({
      found: false
    })
    expect(
      findElectronBinary({
        electronPackageDir: '/nm/electron',
        env: {},
        exists: () => true,
        readText: () => null
      })
    ).toEqual({
      found: false,
      reason: 'node_modules/electron has no binary: it was never downloaded'
    })
  })
})

describe('chooseStartMode (npm start)', () => {
  const found = { found: true as const, path: '/nm/electron/dist/electron' }

  it('runs Electron where a binary and a display exist', () => {
    expect(chooseStartMode(found, 'linux', { DISPLAY: ':0' })).toEqual({
      mode: 'electron',
      executablePath: '/nm/electron/dist/electron'
    })
    expect(chooseStartMode(found, 'linux', { WAYLAND_DISPLAY: 'wayland-0' }).mode).toBe('electron')
    expect(chooseStartMode(found, 'darwin', {}).mode).toBe('electron')
    expect(chooseStartMode(found, 'win32', {}).mode).toBe('electron')
  })

  it('falls back to the web host, saying why in one line, without a binary or a display', () => {
    const missing = chooseStartMode(
      { found: false, reason: 'node_modules/electron has no binary: it was never downloaded' },
      'linux',
      { DISPLAY: ':0' }
    )
    expect(missing).toEqual({
      mode: 'web',
      reason: 'no Electron binary (node_modules/electron has no binary: it was never downloaded)'
    })
    const headless = chooseStartMode(found, 'linux', {})
    expect(headless.mode).toBe('web')
    const line = formatWebFallbackLine(headless.mode === 'web' ? headless.reason : '')
    expect(line).toBe(
      'Electron cannot run here: no display (DISPLAY and WAYLAND_DISPLAY are unset); serving the same app in your browser instead.'
    )
    expect(line).not.toContain('\n')
  })
})

describe('nativeBinding, end to end', () => {
  it('opens the cache through the build found in out/native (here a copy of the Node build)', () => {
    const { dir, cleanup } = createTempDir()
    try {
      // Stand in for the Electron-ABI build (which cannot be made offline) with the Node build, at the same path.
      const nodeBuild = join(
        dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
        'build',
        'Release',
        'better_sqlite3.node'
      )
      const target = getElectronNativeBindingPath(
        getElectronNativeDir(dir, '45.5.0', 'linux', 'x64')
      )
      mkdirSync(dirname(target), { recursive: true })
      copyFileSync(nodeBuild, target)
      const nativeBinding = resolveNativeBinding({
        isPackaged: false,
        appRoot: dir,
        electronVersion: '45.5.0',
        platform: 'linux',
        arch: 'x64',
        env: {},
        exists: (path) => path === target
      })
      expect(nativeBinding).toBe(target)
      const context = openAppContext({
        dataDir: join(dir, 'data'),
        shell: 'electron',
        nativeBinding
      })
      try {
        expect(getSchemaVersion(context.db)).toBeGreaterThan(0)
      } finally {
        closeAppContext(context)
      }
      expect(() =>
        openAppContext({
          dataDir: join(dir, 'data2'),
          shell: 'electron',
          nativeBinding: join(dir, 'missing.node')
        })
      ).toThrow()
    } finally {
      cleanup()
    }
  })

  it('recognises a build made for another runtime, so the shell can say to run npm start', () => {
    const mismatch = new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
        'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of ' +
        'Node.js requires\nNODE_MODULE_VERSION 140. Please try re-compiling or re-installing'
    )
    expect(isNativeAbiMismatch(mismatch)).toBe(true)
    expect(isNativeAbiMismatch(new Error('SQLITE_CANTOPEN: unable to open database file'))).toBe(
      false
    )
  })
})
