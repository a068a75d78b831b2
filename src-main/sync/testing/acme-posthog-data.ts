import { gzipSync } from 'node:zlib'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fixturePath } from '../../test/test-db'
import type { PostHogPerson } from '../posthog-api'

/** One recording as the fake server holds it: the list entry's fields and the snapshot lines. */
export type FakeRecording = {
  id: string
  distinctId: string
  person: PostHogPerson | null
  startMs: number
  endMs: number
  startUrl: string | null
  clickCount: number
  /** Still being recorded: the list entry says `ongoing: true`. */
  ongoing?: boolean
  /** `[windowId, event]` pairs in time order, compressed the way posthog-js sends them. */
  lines: [string, Record<string, unknown>][]
}

/** A row of events.jsonl (the batch-export shape). */
export type FakeEvent = {
  uuid: string
  event: string
  distinct_id: string
  person_id: string | null
  timestamp: string
  properties: Record<string, unknown>
  elements_chain?: string | null
  created_at?: string | null
}

export type FakePostHogData = {
  recordings: FakeRecording[]
  events: FakeEvent[]
  persons: PostHogPerson[]
}

let cached: FakePostHogData | null = null

/** Gzip bytes of the JSON of `value` as a latin1 string: posthog-js's `cv: '2024-10'` encoding (FORMATS.md §1.5). */
function gzipLatin1(value: unknown): string {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8')).toString('latin1')
}

/** Compresses full snapshots and mutations as the SDK does before sending, so the server data is what PostHog stores. */
export function compressLikePostHogJs(event: Record<string, unknown>): Record<string, unknown> {
  const data = event.data as Record<string, unknown> | undefined
  if (event.type === 2 && data && typeof data === 'object')
    return { ...event, cv: '2024-10', data: gzipLatin1(data) }
  if (event.type === 3 && data && data.source === 0) {
    return {
      ...event,
      cv: '2024-10',
      data: {
        ...data,
        texts: gzipLatin1(data.texts ?? []),
        attributes: gzipLatin1(data.attributes ?? []),
        removes: gzipLatin1(data.removes ?? []),
        adds: gzipLatin1(data.adds ?? [])
      }
    }
  }
  return event
}

/**
 * The acme-small fixture (real posthog-js output) as a PostHog project's data: 38 recordings with their snapshot
 * lines, 1074 events and 12 person profiles. Read once per test process.
 */
export function loadAcmePostHogData(): FakePostHogData {
  if (cached) return cached
  const root = fixturePath('acme-small')
  const events = readFileSync(join(root, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FakeEvent)
  const persons = readFileSync(join(root, 'persons.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PostHogPerson)
  const recordings: FakeRecording[] = []
  for (const name of readdirSync(join(root, 'recordings')).sort()) {
    if (!name.endsWith('.json')) continue
    const file = JSON.parse(readFileSync(join(root, 'recordings', name), 'utf8')) as {
      data: {
        id: string
        person: PostHogPerson | null
        snapshots: (Record<string, unknown> & { windowId: string })[]
      }
    }
    const snapshots = [...file.data.snapshots].sort(
      (a, b) => Number(a.timestamp) - Number(b.timestamp)
    )
    const sessionEvents = events.filter((e) => e.properties.$session_id === file.data.id)
    const firstMeta = snapshots.find((s) => s.type === 4)?.data as { href?: string } | undefined
    recordings.push({
      id: file.data.id,
      distinctId:
        sessionEvents[0]?.distinct_id ?? file.data.person?.distinct_ids?.[0] ?? file.data.id,
      person: file.data.person,
      startMs: Number(snapshots[0].timestamp),
      endMs: Number(snapshots[snapshots.length - 1].timestamp),
      startUrl: firstMeta?.href ?? null,
      clickCount: sessionEvents.filter((e) => e.event === '$autocapture').length,
      lines: snapshots.map(({ windowId, ...event }) => [windowId, compressLikePostHogJs(event)])
    })
  }
  recordings.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id))
  cached = { recordings, events, persons }
  return cached
}
