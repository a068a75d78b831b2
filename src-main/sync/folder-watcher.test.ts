import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTempDir } from '../test/test-db'
import { watchFolder, type FolderWatcher } from './folder-watcher'

let temp: { dir: string; cleanup: () => void }
let watcher: FolderWatcher | null = null

beforeEach(() => {
  temp = createTempDir('tapedeck-watch-')
})
afterEach(() => {
  watcher?.close()
  temp.cleanup()
})

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe.each([
  ['native', false],
  ['polling', true]
] as const)('watchFolder (%s)', (mode, forcePolling) => {
  it('reports importable files added in nested folders, and ignores other files', async () => {
    let changes = 0
    watcher = watchFolder(temp.dir, () => changes++, {
      debounceMs: 50,
      pollIntervalMs: 100,
      forcePolling
    })
    expect(watcher.mode).toBe(mode)

    writeFileSync(join(temp.dir, 'notes.txt.swp'), 'editor scratch')
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(changes).toBe(0)

    mkdirSync(join(temp.dir, 'a', 'b'), { recursive: true })
    writeFileSync(join(temp.dir, 'a', 'b', 'export.json'), '{}')
    await waitFor(() => changes === 1)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(changes).toBe(1)
  })
})
