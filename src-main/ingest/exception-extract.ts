import type { StackFrame } from '@shared/domain'
import { isPlainObject, readBoolean, readText } from './record-values'
import type { EventRow, ExceptionRow } from './rows'

/** Frames kept per exception; deeper stacks (recursion) are cut, keeping the first ones. */
const MAX_FRAMES = 500
/** Longest type, message or stack text kept. */
const MAX_TEXT_CHARS = 64 * 1024

/**
 * The exception an `$exception` event describes, as one `ExceptionRow` (FORMATS.md §3.4).
 *
 * Reads the current `$exception_list` (entry 0 is the outermost error: its type, value, `mechanism.handled` and
 * stack frames), else the legacy `$exception_type` / `$exception_message` / `$exception_stack_trace_raw` (a JSON
 * array of frames, or plain stack text → `stackText`), else the server's `$exception_types` / `$exception_values`.
 * Frames keep the order the event gives (posthog-js: outermost call first). Returns `[]` for other events and for
 * an `$exception` without a `$session_id` (the `exceptions` table is per session). Never throws on odd values.
 */
export function extractEventExceptions(
  row: EventRow,
  properties: Record<string, unknown>
): ExceptionRow[] {
  if (row.event !== '$exception' || row.sessionId === null) return []
  let type: string | null = null
  let message: string | null = null
  let handled: boolean | null = null
  let frames: StackFrame[] = []
  let stackText: string | null = null

  const list = readExceptionList(properties.$exception_list)
  const first = list.find(isPlainObject)
  if (first) {
    type = clip(readText(first.type))
    message = clip(readText(first.value) ?? readText(first.message))
    if (isPlainObject(first.mechanism)) handled = readBoolean(first.mechanism.handled)
    const stacktrace = first.stacktrace
    if (isPlainObject(stacktrace)) frames = normalizeFrames(stacktrace.frames)
    else if (Array.isArray(stacktrace)) frames = normalizeFrames(stacktrace)
  } else {
    type = clip(readText(properties.$exception_type))
    message = clip(readText(properties.$exception_message))
    const raw = properties.$exception_stack_trace_raw
    if (Array.isArray(raw)) {
      frames = normalizeFrames(raw)
    } else if (typeof raw === 'string' && raw.trim() !== '') {
      const parsed = raw.trimStart().startsWith('[') ? parseJson(raw) : undefined
      if (Array.isArray(parsed)) frames = normalizeFrames(parsed)
      else stackText = clip(raw)
    }
  }
  type ??= clip(firstText(properties.$exception_types))
  message ??= clip(firstText(properties.$exception_values))
  handled ??= readBoolean(properties.$exception_handled)

  return [
    {
      sessionId: row.sessionId,
      windowId: row.windowId,
      timestampMs: row.timestampMs,
      type,
      message,
      level: readText(properties.$exception_level),
      handled,
      frames: JSON.stringify(frames),
      stackText,
      source: 'event',
      eventUuid: row.uuid,
      fingerprint: readText(properties.$exception_fingerprint),
      issueId: readText(properties.$exception_issue_id)
    }
  ]
}

/** `$exception_list` as an array; JSON text of one (some exporters stringify nested values) is parsed. */
function readExceptionList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (typeof value === 'string' && value.trimStart().startsWith('[')) {
    const parsed = parseJson(value)
    if (Array.isArray(parsed)) return parsed
  }
  return []
}

/** Normalises SDK frames (`filename`, `function`, `lineno`, `colno`, `in_app`; or `abs_path`, `line`, `column`). */
export function normalizeFrames(value: unknown): StackFrame[] {
  if (!Array.isArray(value)) return []
  const frames: StackFrame[] = []
  for (const item of value) {
    if (frames.length >= MAX_FRAMES) break
    if (!isPlainObject(item)) continue
    frames.push({
      function: clip(readText(item.function) ?? readText(item.func) ?? readText(item.method)),
      filename: clip(readText(item.filename) ?? readText(item.abs_path) ?? readText(item.file)),
      lineno: readInteger(item.lineno ?? item.line),
      colno: readInteger(item.colno ?? item.column),
      inApp: readBoolean(item.in_app ?? item.inApp)
    })
  }
  return frames
}

function readInteger(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : null
}

function firstText(value: unknown): string | null {
  return Array.isArray(value) ? readText(value[0]) : null
}

function clip(text: string | null): string | null {
  return text !== null && text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS)}…` : text
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
