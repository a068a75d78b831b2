/**
 * Finds the built renderer for the web host, building it first when it is missing or older than its sources.
 *
 * `npm run serve` right after `npm install` therefore works without a separate build step; later starts reuse the
 * build unless a renderer or shared source changed. `TAPEDECK_RENDERER_DIR` points at a prebuilt copy instead.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The checkout (or installed package) root: the folder holding package.json. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Where `vite.web.config.ts` (and electron-vite) put the renderer. */
export function defaultRendererDir(projectRoot = PROJECT_ROOT): string {
  return join(projectRoot, 'out', 'renderer')
}

/** Newest modification time (ms) of any file under `paths` (folders are walked; missing paths are skipped). */
export function newestMtimeMs(paths: readonly string[]): number {
  let newest = 0
  const stack = [...paths]
  while (stack.length > 0) {
    const path = stack.pop() as string
    let stat
    try {
      stat = statSync(path)
    } catch {
      continue
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && !name.startsWith('.')) stack.push(join(path, name))
    } else {
      newest = Math.max(newest, stat.mtimeMs)
    }
  }
  return newest
}

/** The sources a renderer build depends on. */
export function rendererSources(projectRoot = PROJECT_ROOT): string[] {
  return [
    join(projectRoot, 'src-renderer'),
    join(projectRoot, 'src-main', 'shared'),
    join(projectRoot, 'vite.web.config.ts'),
    join(projectRoot, 'package.json')
  ]
}

/** True when `rendererDir` holds a build at least as new as every source. */
export function isRendererBuildFresh(rendererDir: string, projectRoot = PROJECT_ROOT): boolean {
  const index = join(rendererDir, 'index.html')
  if (!existsSync(index)) return false
  const sources = rendererSources(projectRoot)
  // A package without sources (only the built output shipped) is always fresh.
  if (!existsSync(sources[0] as string)) return true
  return statSync(index).mtimeMs >= newestMtimeMs(sources)
}

/**
 * The folder to serve: `TAPEDECK_RENDERER_DIR`, else `out/renderer`, rebuilt with Vite when stale.
 *
 * `log` hears one line when a build runs (it takes a few seconds).
 */
export async function ensureRendererBuilt(
  options: { env?: NodeJS.ProcessEnv; projectRoot?: string; log?: (line: string) => void } = {}
): Promise<string> {
  const env = options.env ?? process.env
  const projectRoot = options.projectRoot ?? PROJECT_ROOT
  const override = env.TAPEDECK_RENDERER_DIR
  if (override) {
    if (!existsSync(join(override, 'index.html'))) throw new Error(`TAPEDECK_RENDERER_DIR has no index.html: ${override}`)
    return override
  }
  const rendererDir = defaultRendererDir(projectRoot)
  if (isRendererBuildFresh(rendererDir, projectRoot)) return rendererDir
  options.log?.('Building the app (first start, or its sources changed)…')
  const { build } = await import('vite')
  await build({ configFile: join(projectRoot, 'vite.web.config.ts'), logLevel: 'error', mode: 'production' })
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error(`the renderer build did not produce ${rendererDir}/index.html`)
  return rendererDir
}
