/**
 * The e2e `test`: every test fails if the page (or any frame or worker of its context) requests anything but the
 * app's own origin, and `useTapedeck()` gives each spec file its own server on a fresh data folder.
 */
import { test as base, expect } from '@playwright/test'
import { startTapedeck, type TapedeckServer } from './tapedeck-server'

let currentServer: TapedeckServer | undefined

/** Starts a server for this spec file (before its first test) and stops it after the last. */
export function useTapedeck(options: Parameters<typeof startTapedeck>[0] = {}): () => TapedeckServer {
  base.beforeAll(async () => {
    base.setTimeout(120_000)
    currentServer = await startTapedeck(options)
  })
  base.afterAll(async () => {
    await currentServer?.stop()
    currentServer = undefined
  })
  return () => {
    if (!currentServer) throw new Error('the Tapedeck server is not running')
    return currentServer
  }
}

function isOwnUrl(url: string, origin: string | undefined): boolean {
  if (/^(data|blob|about):/.test(url)) return true
  return origin !== undefined && url.startsWith(`${origin}/`)
}

export const test = base.extend<{ outsideRequests: string[] }>({
  outsideRequests: [
    async ({ context }, use) => {
      const outside: string[] = []
      context.on('request', (request) => {
        if (!isOwnUrl(request.url(), currentServer?.origin)) outside.push(request.url())
      })
      await use(outside)
      expect(outside, 'requests to hosts other than the app').toEqual([])
    },
    { auto: true }
  ]
})

export { expect }
