import { describe, expect, it } from 'vitest'
import { formatClock, formatDuration, wholeSeconds } from './format'

describe('duration formatting', () => {
  it('rounds every display down to the whole second, so the list, the header and the clock agree', () => {
    // acme-small 01a16329…: 54 627 ms long; the list once said 55s while the player ended at 0:54.
    expect(formatDuration(54_627)).toBe('54s')
    expect(formatClock(54_627)).toBe('0:54')
    for (const ms of [999, 1_000, 59_999, 60_000, 61_500, 3_599_999, 3_600_000, 7_443_900]) {
      const seconds = wholeSeconds(ms)
      const [h, m, s] = formatClock(ms)
        .split(':')
        .map(Number)
        .reverse()
        .concat([0, 0])
        .slice(0, 3)
        .reverse()
      expect(((h ?? 0) * 60 + (m ?? 0)) * 60 + (s ?? 0)).toBe(seconds)
    }
    expect(formatDuration(179_600)).toBe('2m 59s')
    expect(formatDuration(7_199_999)).toBe('1h 59m')
    expect(formatDuration(999)).toBe('<1s')
    expect(formatDuration(0)).toBe('0s')
    expect(formatClock(-5)).toBe('0:00')
  })
})
