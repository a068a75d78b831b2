import { describe, expect, it } from 'vitest'
import type { ReplayEvent } from './chunk-loader'
import { startAtTarget } from './playback-engine'

const T0 = 1_000_000

/** Meta + a full snapshot (a list, ul 5), then `count` mutations each adding an li to it, one every 10 ms. */
function recording(count: number): ReplayEvent[] {
  const events: ReplayEvent[] = [
    { type: 4, timestamp: T0, data: { href: 'https://s.test/', width: 800, height: 600 } },
    {
      type: 2,
      timestamp: T0 + 1,
      data: {
        initialOffset: { left: 0, top: 0 },
        node: {
          type: 0,
          id: 1,
          childNodes: [{ type: 2, id: 5, tagName: 'ul', attributes: {}, childNodes: [] }]
        }
      }
    }
  ]
  for (let i = 0; i < count; i++) {
    events.push({
      type: 3,
      timestamp: T0 + 10 + i * 10,
      data: {
        source: 0,
        texts: [],
        attributes: [],
        removes: [],
        adds: [
          {
            parentId: 5,
            nextId: null,
            node: { type: 2, id: 100 + i, tagName: 'li', attributes: {}, childNodes: [] }
          }
        ]
      }
    })
  }
  return events
}

describe('startAtTarget', () => {
  it('starts the Replayer at the page computed for the target, followed by the events from the target on', () => {
    const events = recording(1_000)
    const target = T0 + 10 + 600 * 10
    const started = startAtTarget(events, target)
    expect(started.slice(0, 2).map((e) => [e.type, e.timestamp])).toEqual([
      [4, target - 1],
      [2, target - 1]
    ])
    const list = (started[1]?.data as { node: { childNodes: { childNodes: { id: number }[] }[] } })
      .node.childNodes[0]
    // The 600 adds before the target are in the page; the 400 from the target on are still to be played.
    expect(list?.childNodes.map((c) => c.id)).toEqual(
      Array.from({ length: 600 }, (_, i) => 100 + i)
    )
    expect(started.slice(2)).toEqual(events.slice(2 + 600))
  })

  it('leaves a short replay to the Replayer', () => {
    const events = recording(100)
    expect(startAtTarget(events, T0 + 500)).toBe(events)
  })
})
