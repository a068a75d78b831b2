import { describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '@shared/ipc-contract'
import { VALIDATORS, validateArgs } from './validators'

describe('validateArgs', () => {
  it('has a schema for every channel of the contract', () => {
    expect(Object.keys(VALIDATORS).sort()).toEqual(Object.keys(INVOKE_CHANNELS).sort())
  })

  it('accepts well-formed arguments and returns them parsed', () => {
    expect(validateArgs('recordings:search', [{ text: 'ada', hasExceptions: true, sort: 'longest', limit: 50 }])).toEqual({
      ok: true,
      args: [{ text: 'ada', hasExceptions: true, sort: 'longest', limit: 50 }]
    })
    expect(validateArgs('views:save', ['  Errors  ', {}])).toEqual({ ok: true, args: ['Errors', {}] })
    expect(validateArgs('app:get-info', [])).toEqual({ ok: true, args: [] })
  })

  it.each([
    ['recordings:search', [{ sort: 'random' }]],
    ['recordings:search', [{ limit: 1e6 }]],
    ['recordings:search', [{ text: 'x', extra: 1 }]],
    ['recordings:search', [{ fromMs: '2024-01-01' }]],
    ['recordings:search', []],
    ['recordings:get', ['']],
    ['recordings:get', ['x'.repeat(300)]],
    ['recordings:get-chunk', ['id', 1.5]],
    ['recordings:get-chunk', ['id', -1]],
    ['recordings:get-chunk', ['id', 1, 2]],
    ['recordings:mark-viewed', ['id', 'yes']],
    ['views:save', ['', {}]],
    ['app:get-info', [1]],
    ['imports:list', [{ limit: 0 }]]
  ] as const)('refuses %s %j', (channel, args) => {
    const result = validateArgs(channel, args)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.message).toContain(channel)
  })

  it('refuses non-arrays and unknown channels', () => {
    expect(validateArgs('app:get-info', { length: 0 }).ok).toBe(false)
    expect(validateArgs('nope:x' as 'app:get-info', []).ok).toBe(false)
  })
})
