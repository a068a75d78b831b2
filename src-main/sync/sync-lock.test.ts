import { afterAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createTempDir } from '../test/test-db'
import { acquireSyncLock, getSyncLockPath } from './sync-lock'

const temp = createTempDir('tapedeck-lock-')
afterAll(() => temp.cleanup())

describe('acquireSyncLock', () => {
  it('refuses while another live process holds the lock, and takes over a dead one’s', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], {
      stdio: 'ignore'
    })
    await new Promise((resolve) => other.once('spawn', resolve))
    writeFileSync(getSyncLockPath(temp.dir), String(other.pid))
    expect(acquireSyncLock(temp.dir)).toBeNull()

    other.kill('SIGKILL')
    await new Promise((resolve) => other.once('exit', resolve))
    const lock = acquireSyncLock(temp.dir)
    expect(lock).not.toBeNull()
    lock?.release()
    const again = acquireSyncLock(temp.dir)
    expect(again).not.toBeNull()
    again?.release()
  })
})
