import { describe, expect, it } from 'vitest'
import { DROP_IMPORT_IPC_CHANNEL, MAX_DROPPED_PATHS } from './internal-channels'
import { createDesktopApi, createDropHandlers, type FileDragEvent } from './preload-api'

function createFakeIpc() {
  const invoked: unknown[][] = []
  let deliver: (message: unknown) => void = () => undefined
  const ipc = {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push([channel, ...args])
      return Promise.resolve(`answer to ${channel}`)
    },
    onEventMessage: (listener: (message: unknown) => void) => {
      deliver = listener
    }
  }
  return { ipc, invoked, send: (message: unknown) => deliver(message) }
}

describe('createDesktopApi', () => {
  it('exposes exactly invoke and on', () => {
    const api = createDesktopApi(createFakeIpc().ipc)
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
  })

  it('forwards contract channels with their arguments and refuses anything else before any IPC', async () => {
    const { ipc, invoked } = createFakeIpc()
    const api = createDesktopApi(ipc) as unknown as {
      invoke: (channel: unknown, ...args: unknown[]) => Promise<unknown>
    }
    expect(await api.invoke('recordings:mark-viewed', 'rec-1', true)).toBe(
      'answer to recordings:mark-viewed'
    )
    for (const channel of [
      'tapedeck:import-dropped',
      'tapedeck:event',
      '__proto__',
      'constructor',
      'fs:read',
      42
    ]) {
      await expect(api.invoke(channel, ['/etc/passwd']), String(channel)).rejects.toThrow(
        /unknown channel/
      )
    }
    expect(invoked).toEqual([['recordings:mark-viewed', 'rec-1', true]])
  })

  it('delivers only the payload of the subscribed event, and stops after unsubscribing', () => {
    const { ipc, send } = createFakeIpc()
    const api = createDesktopApi(ipc)
    const received: unknown[] = []
    const off = api.on('import:finished', (summary) => received.push(summary))
    send({ channel: 'import:finished', payload: { files: 1 } })
    send({ channel: 'import:progress', payload: { filesDone: 0 } })
    send(null)
    send('import:finished')
    send({ channel: 7, payload: 'x' })
    off()
    send({ channel: 'import:finished', payload: { files: 2 } })
    expect(received).toEqual([{ files: 1 }])
  })
})

type FakeFile = { path: string }

function dragEvent(types: string[], files: FakeFile[]) {
  let isPrevented = false
  const event: FileDragEvent<FakeFile> = {
    preventDefault: () => {
      isPrevented = true
    },
    dataTransfer: { types, files, dropEffect: 'none' }
  }
  return { event, isPrevented: () => isPrevented }
}

describe('createDropHandlers', () => {
  it('accepts a drag of files as a copy and sends a drop’s paths to main, not to the page', () => {
    const { ipc, invoked } = createFakeIpc()
    const handlers = createDropHandlers<FakeFile>(ipc, (file) => file.path)
    const over = dragEvent(['Files'], [])
    handlers.onDragOver(over.event)
    expect(over.isPrevented()).toBe(true)
    expect(over.event.dataTransfer?.dropEffect).toBe('copy')

    const drop = dragEvent(['Files'], [{ path: '/a.json' }, { path: '' }, { path: '/b.csv' }])
    handlers.onDrop(drop.event)
    expect(drop.isPrevented()).toBe(true)
    expect(invoked).toEqual([[DROP_IMPORT_IPC_CHANNEL, ['/a.json', '/b.csv']]])
  })

  it('leaves drags without files alone and sends nothing for a drop without paths', () => {
    const { ipc, invoked } = createFakeIpc()
    const handlers = createDropHandlers<FakeFile>(ipc, (file) => file.path)
    const text = dragEvent(['text/plain'], [])
    handlers.onDragOver(text.event)
    handlers.onDrop(text.event)
    expect(text.isPrevented()).toBe(false)
    handlers.onDrop(dragEvent(['Files'], [{ path: '' }]).event)
    expect(invoked).toEqual([])
  })

  it('sends at most MAX_DROPPED_PATHS paths per drop', () => {
    const { ipc, invoked } = createFakeIpc()
    const handlers = createDropHandlers<FakeFile>(ipc, (file) => file.path)
    const files = Array.from({ length: MAX_DROPPED_PATHS + 5 }, (_, i) => ({ path: `/f${i}.json` }))
    handlers.onDrop(dragEvent(['Files'], files).event)
    expect((invoked[0]?.[1] as string[]).length).toBe(MAX_DROPPED_PATHS)
  })
})
