// electron-builder afterPack hook (electron.builder.yml): puts the Electron-ABI build of better-sqlite3 into the
// packaged app, in place of the Node build copied from node_modules. node_modules itself is never rebuilt, so the
// tests keep their Node build.
import { copyFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { prepareElectronNative } from './prepare-electron-native.mjs'

// electron-builder's Arch enum.
const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' }

export default async function afterPack(context) {
  const platform = context.electronPlatformName
  const arch = ARCH_NAMES[context.arch] ?? String(context.arch)
  const electronVersion =
    context.packager.config.electronVersion ?? context.packager.info.framework.version
  const result = prepareElectronNative({
    electronVersion,
    platform,
    arch,
    log: (line) => console.log(`  • ${line}`)
  })
  if (!result.ok) {
    throw new Error(`No Electron build of better-sqlite3 for ${platform}-${arch}: ${result.reason}`)
  }
  const release = join(
    context.packager.getResourcesDir(context.appOutDir),
    'app.asar.unpacked',
    'node_modules',
    'better-sqlite3',
    'build',
    'Release'
  )
  if (!existsSync(release)) {
    throw new Error(`better-sqlite3 was not unpacked from the asar (${release} missing)`)
  }
  copyFileSync(result.path, join(release, 'better_sqlite3.node'))
  console.log(
    `  • better-sqlite3 for Electron ${electronVersion} (${platform}-${arch}) installed in the package`
  )
}
