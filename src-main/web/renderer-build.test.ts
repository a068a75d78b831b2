import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createTempDir } from '../test/test-db'
import { ensureRendererBuilt, isRendererBuildFresh, newestMtimeMs } from './renderer-build'

let temp: { dir: string; cleanup: () => void } | undefined
afterEach(() => temp?.cleanup())

function project(): { root: string; out: string } {
  temp = createTempDir()
  const root = temp.dir
  mkdirSync(join(root, 'src-renderer'), { recursive: true })
  mkdirSync(join(root, 'src-main', 'shared'), { recursive: true })
  writeFileSync(join(root, 'src-renderer', 'main.tsx'), 'x')
  writeFileSync(join(root, 'src-main', 'shared', 'domain.ts'), 'x')
  writeFileSync(join(root, 'package.json'), '{}')
  writeFileSync(join(root, 'vite.web.config.ts'), 'x')
  const out = join(root, 'out', 'renderer')
  mkdirSync(out, { recursive: true })
  return { root, out }
}

function touch(path: string, seconds: number): void {
  utimesSync(path, seconds, seconds)
}

describe('renderer build freshness', () => {
  it('is stale without an index.html, fresh when newer than every source, stale again after an edit', () => {
    const { root, out } = project()
    for (const file of ['src-renderer/main.tsx', 'src-main/shared/domain.ts', 'package.json', 'vite.web.config.ts']) touch(join(root, file), 1000)
    expect(isRendererBuildFresh(out, root)).toBe(false)
    writeFileSync(join(out, 'index.html'), '<!doctype html>')
    touch(join(out, 'index.html'), 2000)
    expect(isRendererBuildFresh(out, root)).toBe(true)
    touch(join(root, 'src-main', 'shared', 'domain.ts'), 3000)
    expect(isRendererBuildFresh(out, root)).toBe(false)
    expect(newestMtimeMs([join(root, 'src-renderer'), join(root, 'missing')])).toBe(1_000_000)
  })

  it('uses TAPEDECK_RENDERER_DIR when set, and refuses one without index.html', async () => {
    const { root, out } = project()
    writeFileSync(join(out, 'index.html'), 'x')
    await expect(ensureRendererBuilt({ env: { TAPEDECK_RENDERER_DIR: out }, projectRoot: root })).resolves.toBe(out)
    await expect(ensureRendererBuilt({ env: { TAPEDECK_RENDERER_DIR: root }, projectRoot: root })).rejects.toThrow(/index.html/)
  })
})
