import { describe, expect, it } from 'vitest'
import { buildChunk } from '../../test/builders'
import { needsKeyframes } from './keyframe-builder'

describe('needsKeyframes', () => {
  it('is false when stored full snapshots are close together (every page load starts one)', () => {
    const chunks = Array.from({ length: 10 }, (_, seq) => buildChunk({ seq, eventCount: 3_000, hasFullSnapshot: seq % 3 === 0 }))
    expect(needsKeyframes(chunks)).toBe(false)
  })

  it('is true when a long stretch of incrementals follows one full snapshot', () => {
    const chunks = Array.from({ length: 10 }, (_, seq) => buildChunk({ seq, eventCount: 3_000, hasFullSnapshot: seq === 0 }))
    expect(needsKeyframes(chunks)).toBe(true)
    expect(needsKeyframes(chunks.slice(0, 3))).toBe(false)
  })
})
