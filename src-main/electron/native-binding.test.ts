import { describe, expect, it } from 'vitest'
import { chooseStartMode, findElectronBinary, formatWebFallbackLine } from './electron-binary'
import { getElectronNativeDir, resolveNativeBinding } from './native-binding'

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
