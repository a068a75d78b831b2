import { describe, expect, it } from 'vitest'
import { findElectronBinary } from './electron-binary'
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
