import { gunzipSync } from 'node:zlib'
import { RrwebSource } from '../shared/keyframe-tree'
import type { SimpleEvent } from './simple-event-reader'

/** rrweb's event types (FORMATS.md §4). */
export const EventType = {
  DomContentLoaded: 0,
  Load: 1,
  FullSnapshot: 2,
  IncrementalSnapshot: 3,
  Meta: 4,
  Custom: 5,
  Plugin: 6
} as const

/** rrweb's incremental sources (one table with the keyframe tree's). */
export const Source = RrwebSource

export const MouseInteraction = { Click: 2, DblClick: 4, TouchEnd: 9 } as const

/** Incremental sources that count as user activity (PostHog's segmenter uses the same list). */
const ACTIVE_SOURCES = new Set<number>([
  Source.MouseMove,
  Source.MouseInteraction,
  Source.Scroll,
  Source.ViewportResize,
  Source.Input,
  Source.TouchMove,
  Source.MediaInteraction,
  Source.Drag
])

export type RawEvent = { type: number; timestamp: number; data?: unknown; [key: string]: unknown }

/** Why an event was dropped; counted per recording and reported as warnings. */
export type DropReason =
  | 'not an rrweb event'
  | 'undecodable compressed data'
  | 'unknown compression version'
  | 'full snapshot without a DOM'
  | 'nested too deeply to read'

export type NormalisedEvent = { event: RawEvent; changed: boolean } | { dropped: DropReason }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function unzipField(value: unknown): unknown {
  if (typeof value !== 'string') return value
  if (value === '') return undefined
  return JSON.parse(gunzipSync(Buffer.from(value, 'latin1')).toString('utf8'))
}

/**
 * Validates one rrweb event and decompresses PostHog's `cv: '2024-10'` fields, mirroring PostHog's own reader.
 *
 * Decompresses only fields that are still strings (UI exports keep `cv` on events they already decompressed), and
 * drops events whose data cannot be decoded rather than failing the whole recording.
 */
export function normaliseSnapshotEvent(value: unknown): NormalisedEvent {
  if (!isRecord(value)) return { dropped: 'not an rrweb event' }
  let timestamp = value.timestamp
  if (typeof timestamp === 'string' && timestamp.trim() !== '') timestamp = Number(timestamp)
  if (typeof value.type !== 'number' || typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    return { dropped: 'not an rrweb event' }
  }
  let event = value as RawEvent
  let changed = timestamp !== value.timestamp
  if (changed) event = { ...event, timestamp }
  if ('cv' in event) {
    if (event.cv !== '2024-10') {
      if (hasStringPayload(event)) return { dropped: 'unknown compression version' }
    } else {
      try {
        const decoded = decompress(event)
        if (decoded !== event) {
          event = decoded
          changed = true
        }
      } catch {
        return { dropped: 'undecodable compressed data' }
      }
      if (hasStringPayload(event)) return { dropped: 'undecodable compressed data' }
    }
  }
  if (event.type === EventType.FullSnapshot) {
    const data = event.data
    if (!isRecord(data) || (!isRecord(data.node) && !Array.isArray(data.wireframes))) {
      return { dropped: 'full snapshot without a DOM' }
    }
  }
  return { event, changed }
}

function hasStringPayload(event: RawEvent): boolean {
  const data = event.data
  if (event.type === EventType.FullSnapshot) return typeof data === 'string'
  if (event.type !== EventType.IncrementalSnapshot || !isRecord(data)) return false
  return (
    typeof data.adds === 'string' ||
    typeof data.removes === 'string' ||
    typeof data.texts === 'string' ||
    typeof data.attributes === 'string'
  )
}

function decompress(event: RawEvent): RawEvent {
  const data = event.data
  if (event.type === EventType.FullSnapshot && typeof data === 'string') {
    return { ...event, data: unzipField(data) }
  }
  if (event.type === EventType.IncrementalSnapshot && isRecord(data)) {
    if (data.source === Source.StyleSheetRule && (typeof data.adds === 'string' || typeof data.removes === 'string')) {
      return { ...event, data: { ...data, adds: unzipField(data.adds), removes: unzipField(data.removes) } }
    }
    if (data.source === Source.Mutation && hasStringPayload(event)) {
      return {
        ...event,
        data: {
          ...data,
          adds: unzipField(data.adds) ?? [],
          removes: unzipField(data.removes) ?? [],
          texts: unzipField(data.texts) ?? [],
          attributes: unzipField(data.attributes) ?? []
        }
      }
    }
  }
  return event
}

/** What derivation needs to know of one event, kept instead of the parsed object. */
export type EventInfo = {
  type: number
  source: number
  isActive: boolean
  isClick: boolean
  isKeypress: boolean
  isMouseActivity: boolean
  href?: string
  width?: number
  height?: number
  customTag?: string
  consoleLevel?: string
  consoleText?: string
  consoleTrace?: string[]
  network?: NetworkSummary[]
  isMobile?: boolean
  clickTargetId?: number
}

export type NetworkSummary = { name: string; method: string | null; status: number | null; durationMs: number | null }

const MAX_CONSOLE_TEXT = 2000

/** Extracts the facts derivation uses from one (normalised) event. */
export function describeEvent(event: RawEvent): EventInfo {
  const data = isRecord(event.data) ? event.data : undefined
  const source = event.type === EventType.IncrementalSnapshot && typeof data?.source === 'number' ? data.source : -1
  const interaction = source === Source.MouseInteraction && typeof data?.type === 'number' ? data.type : -1
  const info = baseInfo(event.type, source, interaction)
  if (info.isClick && typeof data?.id === 'number') info.clickTargetId = data.id
  if (event.type === EventType.Meta && data) {
    if (typeof data.href === 'string') info.href = data.href
    if (typeof data.width === 'number') info.width = data.width
    if (typeof data.height === 'number') info.height = data.height
  } else if (source === Source.ViewportResize && data) {
    if (typeof data.width === 'number') info.width = data.width
    if (typeof data.height === 'number') info.height = data.height
  } else if (event.type === EventType.FullSnapshot && data && Array.isArray(data.wireframes)) {
    info.isMobile = true
  } else if (event.type === EventType.Custom && data) {
    info.customTag = typeof data.tag === 'string' ? data.tag : 'custom'
    const payload = isRecord(data.payload) ? data.payload : undefined
    if (payload && typeof payload.href === 'string') info.href = payload.href
  } else if (event.type === EventType.Plugin && data && isRecord(data.payload)) {
    const payload = data.payload
    if (data.plugin === 'rrweb/console@1') {
      info.consoleLevel = typeof payload.level === 'string' ? payload.level : 'log'
      info.consoleText = consoleText(payload.payload)
      if (Array.isArray(payload.trace)) {
        info.consoleTrace = payload.trace.filter((t): t is string => typeof t === 'string').slice(0, 20)
      }
    } else if (data.plugin === 'rrweb/network@1' && Array.isArray(payload.requests)) {
      info.network = payload.requests.filter(isRecord).map((request) => ({
        name: typeof request.name === 'string' ? request.name : '(unknown)',
        method: typeof request.method === 'string' ? request.method : null,
        status: typeof request.responseStatus === 'number' ? request.responseStatus : null,
        durationMs: typeof request.duration === 'number' ? Math.round(request.duration) : null
      }))
    }
  }
  return info
}

/**
 * `describeEvent` of an incremental event that `readSimpleEvent` read (type 3, a number source, `data` an object):
 * the same facts from the numbers it picked out of the bytes.
 */
export function describeSimpleEvent(event: SimpleEvent): EventInfo {
  const source = event.source
  const interaction = source === Source.MouseInteraction && event.dataType !== undefined ? event.dataType : -1
  const isClick = interaction === MouseInteraction.Click || interaction === MouseInteraction.DblClick
  if (!isClick && source !== Source.ViewportResize) {
    // The facts of such an event depend on its source alone: one object per source serves them all (a recording
    // keeps an EventInfo per event until it is finished, so this saves most of those objects).
    let shared = sharedInfos.get(source)
    if (shared === undefined) sharedInfos.set(source, (shared = baseInfo(EventType.IncrementalSnapshot, source, -1)))
    return shared
  }
  const info = baseInfo(EventType.IncrementalSnapshot, source, interaction)
  if (info.isClick && event.dataId !== undefined) info.clickTargetId = event.dataId
  if (source === Source.ViewportResize) {
    if (event.width !== undefined) info.width = event.width
    if (event.height !== undefined) info.height = event.height
  }
  return info
}

/** EventInfo objects shared by the simple events of one source (never changed once made). */
const sharedInfos = new Map<number, EventInfo>()

/** The facts every event has; `source` -1 and `interaction` -1 when they do not apply. */
function baseInfo(type: number, source: number, interaction: number): EventInfo {
  return {
    type,
    source,
    isActive: type === EventType.FullSnapshot || (type === EventType.IncrementalSnapshot && ACTIVE_SOURCES.has(source)),
    isClick: interaction === MouseInteraction.Click || interaction === MouseInteraction.DblClick,
    isKeypress: source === Source.Input,
    isMouseActivity: source === Source.MouseMove || source === Source.MouseInteraction || source === Source.TouchMove
  }
}

/** Console plugin payload items are JSON-stringified arguments: show them as the console would. */
function consoleText(items: unknown): string {
  if (!Array.isArray(items)) return typeof items === 'string' ? items.slice(0, MAX_CONSOLE_TEXT) : ''
  const parts: string[] = []
  let length = 0
  for (const item of items) {
    let text: string
    if (typeof item === 'string') {
      try {
        const parsed: unknown = JSON.parse(item)
        text = typeof parsed === 'string' ? parsed : item
      } catch {
        text = item
      }
    } else text = item === null ? 'null' : JSON.stringify(item)
    parts.push(text)
    length += text.length + 1
    if (length > MAX_CONSOLE_TEXT) break
  }
  return parts.join(' ').slice(0, MAX_CONSOLE_TEXT)
}
