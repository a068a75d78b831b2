import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
// electron-builder's own loader and schema check, reached through its package (they are not our dependencies).
const requireFromBuilder = createRequire(
  createRequire(import.meta.url).resolve('app-builder-lib/package.json')
)
const yaml = requireFromBuilder('js-yaml') as { load: (text: string) => unknown }
const { validateConfiguration } = requireFromBuilder('./out/util/config/config') as {
  validateConfiguration: (
    config: unknown,
    debugLogger: { isEnabled: boolean; add: () => void }
  ) => Promise<void>
}

type BuilderConfig = {
  asarUnpack: string[]
  files: string[]
  npmRebuild: boolean
  afterPack: string
  extraResources: Array<{ from: string; to: string }>
  fileAssociations: Array<{ ext: string }>
  linux: { target: string[]; icon: string }
  mac: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
  electronFuses: Record<string, boolean>
}

const config = yaml.load(readFileSync(join(root, 'electron.builder.yml'), 'utf8')) as BuilderConfig

describe('electron.builder.yml', () => {
  it('passes electron-builder’s schema', async () => {
    const logger = { isEnabled: false, add: () => undefined }
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined()
    await expect(
      validateConfiguration({ ...config, linux: { ...config.linux, tagret: 'deb' } }, logger)
    ).rejects.toThrow(/configuration\.linux/)
  })

  it('builds AppImage, deb, dmg and NSIS with icons that exist', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    expect(existsSync(join(root, config.linux.icon, '512x512.png'))).toBe(true)
    expect(existsSync(join(root, config.mac.icon))).toBe(true)
    expect(existsSync(join(root, config.win.icon))).toBe(true)
  })

  it('unpacks the native module, never rebuilds node_modules, and installs the Electron build after packing', () => {
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**')
    expect(config.npmRebuild).toBe(false)
    expect(existsSync(join(root, config.afterPack))).toBe(true)
    expect(config.files).toContain('out/main/**')
    expect(config.files).not.toContain('out/native/**')
  })

  it('associates the export formats and ships the demo data', () => {
    expect(config.fileAssociations.map((a) => a.ext)).toEqual(['json', 'jsonl', 'csv'])
    const demo = config.extraResources.find((r) => r.to === 'demo/acme-small')
    expect(demo && existsSync(join(root, demo.from, 'MANIFEST.json'))).toBe(true)
  })

  it('sets every fuse on its safe side (Electron security checklist, item 19)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      // The app is served from app://, never file:// (checklist item 18).
      grantFileProtocolExtraPrivileges: false
    })
  })
})
