import type { DeviceInfo, PersonTimeline, PersonTimelineSession } from '@shared/analytics'
import type { PersonId, RecordingId } from '@shared/domain'
import type { ReadableDb } from '../db/types'

type TimelineEventRow = {
  sessionId: string | null
  windowId: string | null
  timestampMs: number
  event: string
  pathname: string | null
  url: string | null
  deviceId: unknown
  deviceType: unknown
  browser: unknown
  os: unknown
}

type RecordingRow = {
  id: string
  startMs: number
  endMs: number
  windowCount: number
  startUrl: string | null
  urls: string
  exceptionCount: number
}

/**
 * A person's sessions across devices and windows, oldest first: device, browser and OS (from the first event's
 * `$device_type` / `$browser` / `$os`), duration, pages, event and exception counts, and the recording to open.
 *
 * Sessions come from the person's events (`$session_id`) and from the person's recordings, so a recording without
 * analytics events still appears. Events without a session id are not shown here (the Events tab lists them).
 */
export function getPersonTimeline(db: ReadableDb, personId: string): PersonTimeline {
  const events = db
    .prepare(
      `SELECT session_id AS sessionId, window_id AS windowId, timestamp_ms AS timestampMs, event,
              properties ->> '$."$pathname"' AS pathname, url,
              properties ->> '$."$device_id"' AS deviceId, properties ->> '$."$device_type"' AS deviceType,
              properties ->> '$."$browser"' AS browser, properties ->> '$."$os"' AS os
       FROM events WHERE person_key = ? AND session_id IS NOT NULL ORDER BY timestamp_ms, rowid`
    )
    .all(personId) as TimelineEventRow[]
  const recordings = db
    .prepare(
      `SELECT id, start_ms AS startMs, end_ms AS endMs, window_count AS windowCount, start_url AS startUrl, urls,
              exception_count AS exceptionCount
       FROM recordings WHERE person_id = ? ORDER BY start_ms`
    )
    .all(personId) as RecordingRow[]

  type Building = PersonTimelineSession & { windows: Set<string> }
  const sessions = new Map<string, Building>()
  for (const row of events) {
    const id = row.sessionId as string
    let session = sessions.get(id)
    if (!session) {
      session = {
        sessionId: id,
        startedAtMs: row.timestampMs,
        endedAtMs: row.timestampMs,
        durationMs: 0,
        device: { deviceId: null, deviceType: null, browser: null, os: null },
        windowCount: 0,
        pages: [],
        pageviews: 0,
        events: 0,
        exceptions: 0,
        recordingId: null,
        windows: new Set()
      }
      sessions.set(id, session)
    }
    session.endedAtMs = row.timestampMs
    session.events++
    if (row.windowId) session.windows.add(row.windowId)
    fillDevice(session.device, row)
    if (row.event === '$pageview' || row.event === '$screen') {
      session.pageviews++
      const page = row.pathname ?? pathOf(row.url)
      if (page !== null && session.pages.at(-1) !== page) session.pages.push(page)
    }
  }

  const exceptionCounts = new Map(
    (
      db
        .prepare(
          `SELECT session_id AS sessionId, count(*) AS n FROM exceptions
           WHERE source = 'event' AND session_id IN (SELECT value FROM json_each(?)) GROUP BY session_id`
        )
        .all(
          JSON.stringify([...new Set([...sessions.keys(), ...recordings.map((r) => r.id)])])
        ) as {
        sessionId: string
        n: number
      }[]
    ).map((row) => [row.sessionId, row.n])
  )

  for (const recording of recordings) {
    let session = sessions.get(recording.id)
    if (!session) {
      const urls = safeParseUrls(recording.urls)
      session = {
        sessionId: recording.id,
        startedAtMs: recording.startMs,
        endedAtMs: recording.endMs,
        durationMs: 0,
        device: { deviceId: null, deviceType: null, browser: null, os: null },
        windowCount: recording.windowCount,
        pages: collapse(urls.map(pathOf).filter((p): p is string => p !== null)),
        pageviews: 0,
        events: 0,
        exceptions: 0,
        recordingId: null,
        windows: new Set()
      }
      sessions.set(recording.id, session)
    }
    session.recordingId = recording.id as RecordingId
    session.startedAtMs = Math.min(session.startedAtMs, recording.startMs)
    session.endedAtMs = Math.max(session.endedAtMs, recording.endMs)
    session.windowCount = Math.max(session.windowCount, recording.windowCount)
  }

  const list: PersonTimelineSession[] = [...sessions.values()]
    .map(({ windows, ...session }) => ({
      ...session,
      windowCount: Math.max(session.windowCount, windows.size),
      durationMs: session.endedAtMs - session.startedAtMs,
      exceptions: exceptionCounts.get(session.sessionId) ?? 0
    }))
    .sort((a, b) => a.startedAtMs - b.startedAtMs || (a.sessionId < b.sessionId ? -1 : 1))

  const devices = new Map<string, DeviceInfo>()
  for (const session of list) {
    const key =
      session.device.deviceId ??
      `${session.device.deviceType}|${session.device.os}|${session.device.browser}`
    if (
      !devices.has(key) &&
      (session.device.deviceId || session.device.deviceType || session.device.browser)
    ) {
      devices.set(key, session.device)
    }
  }
  return { personId: personId as PersonId, sessions: list, devices: [...devices.values()] }
}

function fillDevice(device: DeviceInfo, row: TimelineEventRow): void {
  device.deviceId ??= textOrNull(row.deviceId)
  device.deviceType ??= textOrNull(row.deviceType)
  device.browser ??= textOrNull(row.browser)
  device.os ??= textOrNull(row.os)
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : String(value)
}

function pathOf(url: string | null): string | null {
  if (!url) return null
  try {
    return new URL(url).pathname
  } catch {
    return url
  }
}

function collapse(pages: string[]): string[] {
  return pages.filter((page, i) => i === 0 || pages[i - 1] !== page)
}

function safeParseUrls(json: string): string[] {
  try {
    const parsed = JSON.parse(json) as unknown
    return Array.isArray(parsed) ? parsed.filter((u): u is string => typeof u === 'string') : []
  } catch {
    return []
  }
}
