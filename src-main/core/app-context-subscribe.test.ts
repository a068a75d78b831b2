import { describe, expect, it } from 'vitest'
import { createTestDb } from '../test/test-db'
import { subscribe, type AppContext } from './app-context'

describe('subscribe', () => {
  it('tells every listener about each event after the context’s own emit, until it unsubscribes', () => {
    const calls: string[] = []
    const context: AppContext = {
      db: createTestDb(),
      dataDir: '/nonexistent',
      shell: 'web',
      version: '0.0.0',
      demoImported: false,
      emit: (channel) => void calls.push(`emit ${channel}`)
    }
    const stopA = subscribe(context, (channel) => void calls.push(`a ${channel}`))
    subscribe(context, (channel) => void calls.push(`b ${channel}`))
    context.emit('import:finished', {} as never)
    stopA()
    context.emit('sync:finished', {} as never)
    expect(calls).toEqual([
      'emit import:finished',
      'a import:finished',
      'b import:finished',
      'emit sync:finished',
      'b sync:finished'
    ])
    context.db.close()
  })
})
