/** Builders with readable defaults for renderer tests. */
import type { RecordingDetail, RecordingException, RecordingId, RecordingSummary, SnapshotChunkInfo } from '@shared/domain'

export const T0 = Date.UTC(2026, 9, 12, 8, 0, 0)

export function buildSummary(overrides: Partial<RecordingSummary> = {}): RecordingSummary {
  return {
    id: 'rec-1' as RecordingId,
    distinctId: 'd-1',
    personId: null,
    personEmail: null,
    personName: null,
    startedAtMs: T0,
    endedAtMs: T0 + 60_000,
    durationMs: 60_000,
    activeMs: 30_000,
    clickCount: 0,
    keypressCount: 0,
    mouseActivityCount: 0,
    consoleLogCount: 0,
    consoleWarnCount: 0,
    consoleErrorCount: 0,
    exceptionCount: 0,
    startUrl: 'https://shop.example/',
    windowCount: 1,
    eventCount: 10,
    viewed: false,
    brokenReason: null,
    snapshotSource: 'web',
    ...overrides
  }
}

export function buildChunk(overrides: Partial<SnapshotChunkInfo> = {}): SnapshotChunkInfo {
  return { seq: 0, windowId: 'w1', firstMs: T0, lastMs: T0 + 10_000, eventCount: 10, hasFullSnapshot: true, byteLength: 100, ...overrides }
}

export function buildException(overrides: Partial<RecordingException> = {}): RecordingException {
  return {
    id: 1,
    sessionId: 'rec-1',
    windowId: 'w1',
    timestampMs: T0 + 10_000,
    type: 'TypeError',
    message: 'x is undefined',
    level: 'error',
    handled: false,
    frames: [],
    stackText: null,
    source: 'event',
    issueId: null,
    ...overrides
  }
}

export function buildDetail(overrides: Partial<RecordingDetail> = {}): RecordingDetail {
  return {
    summary: buildSummary(),
    urls: [],
    windows: [{ windowId: 'w1', index: 1, firstMs: T0, lastMs: T0 + 60_000, eventCount: 10, startUrl: null }],
    segments: [],
    chunks: [buildChunk()],
    exceptions: [],
    items: [],
    hasNetwork: false,
    sourcePath: null,
    ...overrides
  }
}
