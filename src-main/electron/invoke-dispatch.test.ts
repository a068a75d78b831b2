import { describe, expect, it } from 'vitest'
import type { ApiHandlers } from '@shared/ipc-contract'
import { INVOKE_CHANNELS } from '@shared/ipc-contract'
import { createAssetHandlers } from '../api/asset-handlers'
import type { AppContext } from '../core/app-context'
import { createTempDir, createTestDb } from '../test/test-db'
import { dispatchInvoke, listInvokeChannels, RefusedCallError } from './invoke-dispatch'
import type { SenderFacts } from './sender-policy'

const ours: SenderFacts = {
  webContentsId: 3,
  frameUrl: 'app://tapedeck/index.html',
  isMainFrame: true
}

function createApi() {
  const db = createTestDb()
  const { dir, cleanup } = createTempDir()
  const context: AppContext = {
    db,
    dataDir: dir,
    shell: 'electron',
    version: '0',
    demoImported: false,
    emit: () => {}
  }
  const calls: unknown[][] = []
  // The real asset handlers; one recording handler that records what reached it.
  const api = {
    ...createAssetHandlers(context),
    'recordings:mark-viewed': (...args: unknown[]) => {
      calls.push(args)
    }
  } as unknown as ApiHandlers
  return { api, calls, close: () => (db.close(), cleanup()) }
}

describe('dispatchInvoke', () => {
  it('runs the handler with validated arguments for our window', async () => {
    const { api, calls, close } = createApi()
    try {
      expect(await dispatchInvoke(api, 'assets:get-status', [], ours, 3)).toMatchObject({
        total: 0
      })
      await dispatchInvoke(api, 'recordings:mark-viewed', ['rec-1', true], ours, 3)
      expect(calls).toEqual([['rec-1', true]])
    } finally {
      close()
    }
  })

  it('refuses untrusted senders before validating or running anything', async () => {
    const { api, calls, close } = createApi()
    try {
      await expect(
        dispatchInvoke(
          api,
          'recordings:mark-viewed',
          ['rec-1', true],
          { ...ours, isMainFrame: false },
          3
        )
      ).rejects.toThrow(/untrusted sender/)
      await expect(
        dispatchInvoke(api, 'recordings:mark-viewed', ['rec-1', true], ours, 4)
      ).rejects.toThrow(RefusedCallError)
      expect(calls).toEqual([])
    } finally {
      close()
    }
  })

  it('refuses unknown channels and arguments that do not match the contract', async () => {
    const { api, calls, close } = createApi()
    try {
      await expect(dispatchInvoke(api, 'fs:read', ['/etc/passwd'], ours, 3)).rejects.toThrow(
        /unknown channel/
      )
      await expect(dispatchInvoke(api, '__proto__', [], ours, 3)).rejects.toThrow(/unknown channel/)
      await expect(
        dispatchInvoke(api, 'recordings:mark-viewed', ['rec-1', 'yes'], ours, 3)
      ).rejects.toThrow(/invalid arguments/)
      await expect(
        dispatchInvoke(api, 'recordings:mark-viewed', ['', true], ours, 3)
      ).rejects.toThrow(/invalid arguments/)
      await expect(
        dispatchInvoke(api, 'assets:fetch', [{ retryFailed: true, extra: 1 }], ours, 3)
      ).rejects.toThrow(/invalid arguments/)
      expect(calls).toEqual([])
    } finally {
      close()
    }
  })

  it('registers every channel of the contract', () => {
    expect(listInvokeChannels(INVOKE_CHANNELS).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
    expect(listInvokeChannels(INVOKE_CHANNELS)).toContain('assets:fetch')
  })
})
