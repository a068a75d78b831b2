import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { collectAssetUrls, createAssetScanState } from '../assets/collect-asset-urls'
import { createCsvReader } from './csv-reader'
import { csvHeaderKind, csvRecordToEvent, normalizeEvent } from './event-normalize'
import { extractEventExceptions } from './exception-extract'
import { ImportError } from './import-error'
import { csvRecordToPerson, normalizePerson } from './person-normalize'
import { readInputBytes } from './read-input'
import { Utf8Check } from './utf8-check'
import { classifyJsonRecord } from './record-kind'
import { RecordingBuilder, type PreparedRecording, type RecordingIdSource } from './recording-builder'
import type { EventRow, ExceptionRow, PersonRow } from './rows'
import {
  JsonStreamScanner,
  type PathSegment,
  type ScanDecision,
  type ScanVisitor,
  type ValueKind
} from './json-scanner'
import { readSimpleEvent, type SimpleEvent } from './simple-event-reader'

/** What one file's import hands to the store, in order. */
export type FileMessage =
  | { type: 'recording'; recording: PreparedRecording }
  | { type: 'events'; events: EventRow[]; exceptions: ExceptionRow[] }
  | { type: 'persons'; persons: PersonRow[] }
  | { type: 'progress'; bytes: number }

export type FileKind = 'recording' | 'events' | 'persons' | 'unknown'

/** `contentHash`: sha256 (hex) of the file's bytes as stored on disk, computed while reading it. */
export type FileResult = { kind: FileKind; format: string; warnings: string[]; contentHash: string }

/** Sends a message to the store; resolves when the store is ready for more (back-pressure). */
export type EmitMessage = (message: FileMessage) => Promise<void>

const SNIFF_BYTES = 256 * 1024
/** Events per `events` message the import hands to the store. */
export const EVENT_BATCH = 2000
const PERSON_BATCH = 500
const UUID_IN_NAME = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const KNOWN_VERSIONS = new Set(['2023-04-28', '2022-12-02'])

/**
 * Reads one file of any supported kind and emits prepared recordings and batches of events and persons.
 *
 * Throws an `ImportError` with a reason a person can act on when the file cannot be imported; the caller decides
 * what to keep (the store keeps nothing of a failed file).
 */
export async function importFile(path: string, sizeBytes: number, emit: EmitMessage): Promise<FileResult> {
  if (sizeBytes === 0) throw new ImportError('empty', 'the file is empty')
  const context = new FileContext(path, emit)
  let sniff: Buffer[] = []
  let sniffBytes = 0
  let mode: 'json' | 'csv' | null = null
  let scanner: JsonStreamScanner | null = null
  let csv: CsvImport | null = null
  let pendingProgress = 0

  const startMode = async (head: Buffer) => {
    mode = detectTextKind(head)
    if (mode === 'json') {
      const recordMode = looksLikeJsonLines(head)
      scanner = new JsonStreamScanner(context.visitor(recordMode))
      context.formatHint = recordMode ? 'jsonl' : 'json'
    } else {
      csv = new CsvImport(context)
      context.formatHint = 'csv'
    }
  }

  const utf8 = new Utf8Check()
  const hash = createHash('sha256')
  const reading = readInputBytes(path, sizeBytes, {
    onBytesRead: (n) => (pendingProgress += n),
    onRawChunk: (chunk) => hash.update(chunk)
  })
  for await (const chunk of reading) {
    if (mode === null) {
      sniff.push(chunk)
      sniffBytes += chunk.length
      if (sniffBytes < SNIFF_BYTES) continue
      const head = Buffer.concat(sniff)
      sniff = []
      await startMode(head)
      await feed(head)
    } else {
      await feed(chunk)
    }
    if (pendingProgress > 0) {
      await emit({ type: 'progress', bytes: pendingProgress })
      pendingProgress = 0
    }
  }
  if (mode === null) {
    const head = Buffer.concat(sniff)
    if (head.length === 0 || isBlank(head)) throw new ImportError('empty', 'the file is empty')
    await startMode(head)
    await feed(head)
  }
  if (scanner !== null) (scanner as JsonStreamScanner).end()
  if (csv !== null) (csv as CsvImport).end()
  utf8.end()
  const result = context.finish()
  await context.drain()
  if (pendingProgress > 0) await emit({ type: 'progress', bytes: pendingProgress })
  return { ...result, contentHash: hash.digest('hex') }

  async function feed(chunk: Buffer): Promise<void> {
    // After detectTextKind has named binary and UTF-16 files: what reaches the parsers must be UTF-8.
    utf8.push(chunk)
    if (scanner !== null) (scanner as JsonStreamScanner).push(chunk)
    else if (csv !== null) (csv as CsvImport).push(chunk)
    await context.drain()
  }
}

function isBlank(buf: Buffer): boolean {
  for (const byte of buf) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return false
  return true
}

/** JSON or CSV, from the first bytes; anything else is refused with what it looks like. */
function detectTextKind(head: Buffer): 'json' | 'csv' {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new ImportError('unknown-format', 'the file is UTF-16 text; save it as UTF-8')
  }
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++
  if (i >= head.length) throw new ImportError('empty', 'the file holds only white space')
  const first = head[i]
  if (first === 0x7b || first === 0x5b) return 'json'
  const probe = head.subarray(0, Math.min(head.length, 4096))
  if (probe.includes(0)) {
    throw new ImportError('unknown-format', 'binary data: not a JSON, JSON Lines or CSV export')
  }
  const firstLine = probe.toString('utf8').split(/\r?\n/, 1)[0]
  if (firstLine.includes(',') && /^[\x20-\x7e\u00a0-\uffff"]+$/.test(firstLine)) return 'csv'
  throw new ImportError(
    'unknown-format',
    `not a JSON, JSON Lines or CSV export (it starts with "${firstLine.slice(0, 40).replace(/[^\x20-\x7e]/g, '?')}")`
  )
}

/** JSON Lines when the first line is a complete JSON value and more follows it. */
function looksLikeJsonLines(head: Buffer): boolean {
  const newline = head.indexOf(0x0a)
  if (newline === -1) return false
  const firstLine = head.toString('utf8', 0, newline).replace(/^\uFEFF/, '').trim()
  if (firstLine === '' || (firstLine[0] !== '{' && firstLine[0] !== '[')) return false
  try {
    JSON.parse(firstLine)
  } catch {
    return false
  }
  return !isBlank(head.subarray(newline + 1))
}

type TopContext = {
  kind: 'object' | 'array'
  /** Set when the object had a `results` list (an API page), whose items were routed one by one. */
  hadResults: boolean
  props: Map<string, unknown>
  builder: RecordingBuilder | null
}

/** Routes parsed records to builders and batches for one file. */
class FileContext {
  formatHint = 'json'
  private readonly path: string
  private readonly emit: EmitMessage
  private readonly queue: FileMessage[] = []
  private readonly warnings: string[] = []
  private readonly skipped = new Map<string, number>()
  private firstSkipped: string | null = null
  private events: EventRow[] = []
  private exceptions: ExceptionRow[] = []
  private persons: PersonRow[] = []
  private top: TopContext | null = null
  /** Receives loose rrweb events (a plain array, JSON Lines, blob lines) for the file's one recording. */
  private streamBuilder: RecordingBuilder | null = null
  private streamMeta: Record<string, unknown> | null = null
  private recordings = 0
  private eventCount = 0
  private personCount = 0
  private formats = new Set<string>()
  private records = 0
  private recordMode = false

  constructor(path: string, emit: EmitMessage) {
    this.path = path
    this.emit = emit
  }

  /**
   * The scanner's visitor: this context itself, so that every file's scanner calls the same methods (fresh arrow
   * functions per file gave the scanner's optimised code a new call target with the next file: a 'wrong call
   * target' deoptimisation and another compile).
   */
  visitor(recordMode: boolean): ScanVisitor {
    this.recordMode = recordMode
    return this
  }

  onValueStart(path: readonly PathSegment[], kind: ValueKind): ScanDecision {
    return this.recordMode ? 'capture' : this.decide(path, kind)
  }

  onCapture(path: readonly PathSegment[], raw: Buffer): void {
    this.capture(path, raw, this.recordMode)
  }

  onContainerEnd(path: readonly PathSegment[]): void {
    if (path.length === 0) this.finishTop()
  }

  private decide(path: readonly PathSegment[], kind: ValueKind): ScanDecision {
    const depth = path.length
    if (depth === 0) {
      if (kind === 'scalar') return 'capture'
      this.top = { kind, hadResults: false, props: new Map(), builder: null }
      return 'descend'
    }
    if (kind === 'scalar') return 'capture'
    // Indexing, not destructuring: this runs for every value the scanner meets (array destructuring iterates).
    const a = path[0]
    const b = path[1]
    const c = path[2]
    if (depth === 1) {
      if (this.top?.kind === 'array') return 'capture'
      if (a === 'data' && kind === 'object') return 'descend'
      if (a === 'results' && kind === 'array' && this.top) this.top.hadResults = true
      if ((a === 'snapshots' || a === 'results') && kind === 'array') return 'descend'
      if (a === 'snapshotsByWindowId' && kind === 'object') return 'descend'
      return 'capture'
    }
    if (depth === 2) {
      if (a === 'data' && b === 'snapshots' && kind === 'array') return 'descend'
      if (a === 'data' && b === 'snapshotsByWindowId' && kind === 'object') return 'descend'
      if (a === 'snapshotsByWindowId' && kind === 'array') return 'descend'
      return 'capture'
    }
    if (depth === 3 && a === 'data' && b === 'snapshotsByWindowId' && typeof c === 'string' && kind === 'array') {
      return 'descend'
    }
    return 'capture'
  }

  private capture(path: readonly PathSegment[], raw: Buffer, recordMode: boolean): void {
    if (this.captureSimpleEvent(path, raw, recordMode)) return
    const text = raw.toString('utf8')
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      const where = path.length === 0 ? `record ${this.records + 1}` : path.join('.')
      throw new ImportError('bad-json', `invalid JSON in ${where}: ${(error as Error).message}`)
    }
    const depth = path.length
    if (depth === 0) {
      this.records++
      this.routeRecord(value, raw, recordMode ? 'jsonl' : 'json')
      return
    }
    const top = this.top!
    const a = path[0]
    const isSnapshotItem = isSnapshotItemPath(path)
    if (isSnapshotItem) {
      addSnapshotItem(this.exportBuilder(top, path), value, snapshotItemWindow(path), raw)
      return
    }
    if (depth === 2 && a === 'results') {
      this.records++
      const columns = top.props.get('columns')
      if (Array.isArray(value) && Array.isArray(columns)) {
        // A HogQL query response: rows are arrays, named by `columns` (which PostHog writes before `results`).
        this.routeRecord(hogqlRowToRecord(columns, value), null, 'hogql')
        return
      }
      this.routeRecord(value, raw, 'api-page')
      return
    }
    if (depth === 1 && top.kind === 'array') {
      this.records++
      this.routeRecord(value, raw, 'json-array')
      return
    }
    top.props.set(path.map(String).join('.'), value)
  }

  /**
   * The fast path for the small incremental events most of a recording is made of: when `readSimpleEvent` takes
   * the captured bytes, the event is added from the facts it read, without `JSON.parse`. It takes the values that
   * `capture` would route to a recording builder as an rrweb event (a snapshot item of an export, an item of a
   * plain rrweb array, a JSON Lines record, a blob_v2 `[windowId, event]` line); false for anything else.
   */
  private captureSimpleEvent(path: readonly PathSegment[], raw: Buffer, recordMode: boolean): boolean {
    const depth = path.length
    if (depth >= 2) {
      if (raw[0] !== 0x7b || !isSnapshotItemPath(path)) return false
      const simple = readSimpleEvent(raw)
      if (simple === null) return false
      this.exportBuilder(this.top!, path).addSimple(simple, snapshotItemWindow(path), raw)
      return true
    }
    const container = recordMode ? 'jsonl' : depth === 1 && this.top?.kind === 'array' ? 'json-array' : null
    if (container === null || (depth === 0) !== recordMode) return false
    if (raw[0] === 0x7b) {
      const simple = readSimpleEvent(raw)
      if (simple === null) return false
      this.records++
      this.streamBuilder ??= this.newBuilder(container === 'jsonl' ? 'rrweb-jsonl' : 'rrweb-array', null, 'file-name')
      this.streamBuilder.addSimple(simple, undefined, raw)
      return true
    }
    const line = simpleBlobLine(raw)
    if (line === null) return false
    this.records++
    this.streamBuilder ??= this.newBuilder('posthog-blob-v2-jsonl', null, 'file-name')
    this.streamBuilder.addSimple(line.event, line.windowId, line.eventBytes)
    return true
  }

  /** The builder of the export whose snapshot item is at `path` (created with the first item). */
  private exportBuilder(top: TopContext, path: readonly PathSegment[]): RecordingBuilder {
    if (!top.builder) {
      const a = path[0]
      const b = path[1]
      top.builder = this.newBuilder(
        a === 'data' ? (b === 'snapshots' ? 'posthog-export' : 'posthog-export-v1') : 'posthog-pre-v1'
      )
    }
    return top.builder
  }

  /** A top-level object or array has closed. */
  private finishTop(): void {
    const top = this.top
    this.top = null
    if (!top || top.kind === 'array') return
    if (top.builder) {
      this.finishExport(top.builder, top.props)
      return
    }
    if (top.hadResults) return
    // A (pretty-printed) single record: rebuild it from its properties.
    const record: Record<string, unknown> = {}
    for (const [key, value] of top.props) {
      const [head, ...rest] = key.split('.')
      if (rest.length === 0) record[head] = value
      else {
        const parent = (record[head] ??= {}) as Record<string, unknown>
        parent[rest.join('.')] = value
      }
    }
    if (top.props.has('version') || top.props.has('data.id') || top.props.has('data.person')) {
      throw new ImportError('no-snapshots', 'a recording export with no snapshots in it')
    }
    this.records++
    this.routeRecord(record, null, 'json')
  }

  private newBuilder(format: string, id: string | null = null, idSource: RecordingIdSource = 'export') {
    const assetState = createAssetScanState()
    return new RecordingBuilder({
      id,
      idSource,
      format,
      collectAssetUrls: (event, add) => collectAssetUrls(event, add, undefined, assetState)
    })
  }

  /** An envelope export (V2, V1, pre-V1, unknown version) is complete: give it its id and person, emit it. */
  private finishExport(builder: RecordingBuilder, props: Map<string, unknown>): void {
    const version = props.get('version')
    if (typeof version === 'string') {
      builder.format = version === '2022-12-02' ? 'posthog-export-v1' : version === '2023-04-28' ? 'posthog-export-v2' : `export-${version}`
      if (!KNOWN_VERSIONS.has(version)) {
        this.warnings.push(
          version === '2024-04-30'
            ? 'non-PostHog export envelope 2024-04-30 (raw blob_v2 data): read like a 2023-04-28 export'
            : `unknown export version "${version}": read like a 2023-04-28 export`
        )
      }
    } else if (builder.format === 'posthog-export') builder.format = 'posthog-export-unversioned'
    const id = props.get('data.id') ?? props.get('id')
    if ((typeof id === 'string' && id.trim() !== '') || typeof id === 'number') {
      builder.id = String(id)
      builder.idSource = 'export'
    }
    applyPerson(builder, props.get('data.person') ?? props.get('person'))
    this.finishRecording(builder)
  }

  /** `raw`: the record's JSON as read, when it is one value of the file (kept as an rrweb event's text). */
  private routeRecord(value: unknown, raw: Buffer | null, container: string): void {
    const kind = classifyJsonRecord(value)
    switch (kind) {
      case 'rrweb-event':
      case 'blob-line': {
        if (!this.streamBuilder) {
          const format =
            kind === 'blob-line'
              ? Array.isArray(value)
                ? 'posthog-blob-v2-jsonl'
                : 'posthog-blob-v1-jsonl'
              : container === 'jsonl'
                ? 'rrweb-jsonl'
                : 'rrweb-array'
          this.streamBuilder = this.newBuilder(format, null, 'file-name')
        }
        addSnapshotItem(this.streamBuilder, value, undefined, raw ?? undefined)
        return
      }
      case 'event': {
        let row: EventRow
        try {
          row = normalizeEvent(value)
        } catch (error) {
          this.skip((error as Error).message)
          return
        }
        this.formats.add(container === 'api-page' ? 'posthog-events-api' : `posthog-events-${container}`)
        this.events.push(row)
        if (row.event === '$exception') {
          try {
            this.exceptions.push(...extractEventExceptions(row, JSON.parse(row.properties) as Record<string, unknown>))
          } catch (error) {
            this.warnings.push(`$exception ${row.uuid}: ${(error as Error).message}`)
          }
        }
        if (this.events.length >= EVENT_BATCH) this.flushEvents()
        return
      }
      case 'person': {
        try {
          this.persons.push(normalizePerson(value))
        } catch (error) {
          this.skip((error as Error).message)
          return
        }
        this.formats.add(container === 'api-page' ? 'posthog-persons-api' : `posthog-persons-${container}`)
        if (this.persons.length >= PERSON_BATCH) this.flushPersons()
        return
      }
      case 'persons-page':
      case 'events-page': {
        const results = (value as { results: unknown[] }).results
        for (const item of results) this.routeRecord(item, null, 'api-page')
        return
      }
      case 'recording-export': {
        this.routeExportObject(value as Record<string, unknown>)
        return
      }
      default: {
        if (isRecordingMeta(value)) {
          this.streamMeta = value as Record<string, unknown>
          return
        }
        this.skip(describeUnknown(value))
      }
    }
  }

  /** An export envelope held in memory (one line of JSON Lines, one item of an array). */
  private routeExportObject(value: Record<string, unknown>): void {
    const data = (isObject(value.data) ? value.data : value) as Record<string, unknown>
    const props = new Map<string, unknown>()
    if (value.version !== undefined) props.set('version', value.version)
    if (data.id !== undefined) props.set('data.id', data.id)
    if (data.person !== undefined) props.set('data.person', data.person)
    let builder: RecordingBuilder
    if (Array.isArray(data.snapshots)) {
      builder = this.newBuilder('posthog-export')
      for (const item of data.snapshots) addSnapshotItem(builder, item, undefined, undefined)
    } else if (isObject(data.snapshotsByWindowId)) {
      builder = this.newBuilder(value.version === undefined ? 'posthog-pre-v1' : 'posthog-export-v1')
      for (const [windowId, events] of Object.entries(data.snapshotsByWindowId)) {
        if (Array.isArray(events)) for (const item of events) builder.add(item, windowId)
      }
    } else {
      throw new ImportError('no-snapshots', 'a recording export with no snapshots in it')
    }
    this.finishExport(builder, props)
  }

  private finishRecording(builder: RecordingBuilder): void {
    if (builder.eventCount === 0) {
      throw new ImportError('no-valid-events', `recording ${builder.id ?? ''} has no valid rrweb events`.replace('  ', ' '))
    }
    if (builder.id === null) {
      const fromName = this.recordings === 0 ? UUID_IN_NAME.exec(basename(this.path))?.[0] : undefined
      if (fromName) {
        builder.id = fromName.toLowerCase()
        builder.idSource = 'file-name'
      } else if (builder.sessionIdHints.length === 1) {
        builder.id = builder.sessionIdHints[0]
        builder.idSource = 'recording-event'
      } else {
        builder.id = 'pending'
        const prepared = builder.finish()
        const hash = createHash('sha1')
        for (const chunk of prepared.chunks.slice(0, 2)) hash.update(chunk.data)
        prepared.id = `unknown-${hash.digest('hex').slice(0, 16)}`
        prepared.idSource = 'content-hash'
        this.warnings.push(`no session id in the export or its file name: stored as ${prepared.id}`)
        this.pushRecording(prepared)
        return
      }
    }
    this.pushRecording(builder.finish())
  }

  private pushRecording(prepared: PreparedRecording): void {
    this.formats.add(prepared.format)
    for (const warning of prepared.warnings) this.warnings.push(`recording ${prepared.id}: ${warning}`)
    this.recordings++
    this.queue.push({ type: 'recording', recording: prepared })
  }

  /** One data row of a CSV export. */
  routeCsv(kind: 'events' | 'persons', header: string[], cells: string[]): void {
    try {
      if (kind === 'events') {
        const row = csvRecordToEvent(header, cells)
        this.formats.add('posthog-events-csv')
        this.events.push(row)
        if (row.event === '$exception') {
          this.exceptions.push(...extractEventExceptions(row, JSON.parse(row.properties) as Record<string, unknown>))
        }
        if (this.events.length >= EVENT_BATCH) this.flushEvents()
      } else {
        this.persons.push(csvRecordToPerson(header, cells))
        this.formats.add('posthog-persons-csv')
        if (this.persons.length >= PERSON_BATCH) this.flushPersons()
      }
    } catch (error) {
      this.skip((error as Error).message)
    }
  }

  private skip(reason: string): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1)
    this.firstSkipped ??= reason
  }

  private flushEvents(): void {
    if (this.events.length === 0) return
    this.eventCount += this.events.length
    this.queue.push({ type: 'events', events: this.events, exceptions: this.exceptions })
    this.events = []
    this.exceptions = []
  }

  private flushPersons(): void {
    if (this.persons.length === 0) return
    this.personCount += this.persons.length
    this.queue.push({ type: 'persons', persons: this.persons })
    this.persons = []
  }

  /** Sends what is queued, waiting for the store between messages. */
  async drain(): Promise<void> {
    while (this.queue.length > 0) await this.emit(this.queue.shift()!)
  }

  /** Called once the input has ended: completes what is pending and says what the file was. */
  finish(): Omit<FileResult, 'contentHash'> {
    if (this.streamBuilder) {
      const meta = this.streamMeta
      if (meta) {
        if (typeof meta.id === 'string') {
          this.streamBuilder.id = meta.id
          this.streamBuilder.idSource = 'export'
        }
        applyPerson(this.streamBuilder, meta.person)
        if (typeof meta.distinct_id === 'string') this.streamBuilder.distinctId = meta.distinct_id
      }
      this.finishRecording(this.streamBuilder)
      this.streamBuilder = null
    }
    this.flushEvents()
    this.flushPersons()
    if (this.streamMeta && this.recordings === 0 && this.eventCount === 0 && this.personCount === 0) {
      throw new ImportError(
        'no-snapshots',
        "recording metadata from PostHog's session_recordings API, without snapshots: import the recording's snapshot file (blob JSON Lines or an export) instead"
      )
    }
    const skippedTotal = [...this.skipped.values()].reduce((a, b) => a + b, 0)
    if (this.recordings === 0 && this.eventCount === 0 && this.personCount === 0) {
      if (skippedTotal > 0) {
        throw new ImportError(
          'unknown-format',
          `no recording, event or person in it: ${skippedTotal} record(s) not understood (first: ${this.firstSkipped})`
        )
      }
      throw new ImportError('unknown-format', 'no recording, event or person found in the file')
    }
    for (const [reason, count] of this.skipped) this.warnings.push(`${count} record(s) skipped: ${reason}`)
    const kind: FileKind = this.recordings > 0 ? 'recording' : this.eventCount > 0 ? 'events' : 'persons'
    return { kind, format: [...this.formats].join('+') || this.formatHint, warnings: this.warnings }
  }
}

/** A CSV export (events or persons), fed as bytes. */
class CsvImport {
  private readonly reader = createCsvReader()
  private readonly decoder = new StringDecoder('utf8')
  private header: string[] | null = null
  private kind: 'events' | 'persons' | null = null
  private line = 1

  constructor(private readonly context: FileContext) {}

  push(chunk: Buffer): void {
    this.handle(this.reader.push(this.decoder.write(chunk)))
  }

  end(): void {
    const rest = this.decoder.end()
    this.handle([...(rest ? this.reader.push(rest) : []), ...this.reader.end()])
    if (this.header === null) throw new ImportError('empty', 'the CSV file has no header row')
  }

  private handle(records: string[][]): void {
    for (const record of records) {
      this.line++
      if (this.header === null) {
        this.header = record
        this.kind = csvHeaderKind(record)
        if (this.kind === null) {
          throw new ImportError(
            'unknown-format',
            `a CSV file that is neither a PostHog events nor persons export (columns: ${record.slice(0, 6).join(', ')}${record.length > 6 ? ', …' : ''})`
          )
        }
        continue
      }
      if (record.length === 1 && record[0] === '') continue
      this.context.routeCsv(this.kind!, this.header, record)
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** One item of a snapshot list: a flat event, a blob_v2 `[windowId, event]` pair, or a blob v1 `{window_id, data}`. */
function addSnapshotItem(builder: RecordingBuilder, item: unknown, windowId: unknown, raw: Buffer | undefined): void {
  if (Array.isArray(item)) {
    if (item.length === 2 && isObject(item[1])) builder.add(item[1], windowId ?? item[0], raw && blobLineEvent(raw))
    else builder.add(item, windowId)
    return
  }
  if (isObject(item) && Array.isArray(item.data) && typeof item.type !== 'number') {
    const itemWindow = item.window_id ?? item.windowId ?? windowId
    for (const event of item.data) builder.add(event, itemWindow)
    return
  }
  builder.add(item, windowId, raw)
}

/** Whether a captured value at `path` is one item of an export's snapshot list (V2, V1, pre-V1). */
function isSnapshotItemPath(path: readonly PathSegment[]): boolean {
  const depth = path.length
  const a = path[0]
  const b = path[1]
  return (
    (depth === 2 && a === 'snapshots') ||
    (depth === 3 && a === 'data' && b === 'snapshots') ||
    (depth === 3 && a === 'snapshotsByWindowId') ||
    (depth === 4 && a === 'data' && b === 'snapshotsByWindowId')
  )
}

/** The window a snapshot item's path names (`snapshotsByWindowId.<window>`), else undefined. */
function snapshotItemWindow(path: readonly PathSegment[]): PathSegment | undefined {
  const a = path[0]
  const b = path[1]
  return a === 'snapshotsByWindowId' ? b : a === 'data' && b === 'snapshotsByWindowId' ? path[2] : undefined
}

const BLOB_NUMBER_WINDOW = /^-?(?:0|[1-9][0-9]*)$/

/**
 * A blob_v2 line `["<window id>",{…}]` (or a number window id) whose event `readSimpleEvent` takes: the window id
 * as `JSON.parse` gives it, the event's facts and its bytes. Null for any other line (it is then parsed).
 */
function simpleBlobLine(raw: Buffer): { windowId: string | number; event: SimpleEvent; eventBytes: Buffer } | null {
  const eventBytes = blobLineEvent(raw)
  if (eventBytes === undefined) return null
  const event = readSimpleEvent(eventBytes)
  if (event === null) return null
  const windowEnd = eventBytes.byteOffset - raw.byteOffset - 1
  let windowId: string | number
  if (raw[1] === 0x22) {
    // blobLineEvent has checked that the quoted id holds no backslash; a control character would be bad JSON.
    for (let i = 2; i < windowEnd - 1; i++) if (raw[i] < 0x20) return null
    windowId = raw.toString('utf8', 2, windowEnd - 1)
  } else {
    const text = raw.toString('latin1', 1, windowEnd)
    if (!BLOB_NUMBER_WINDOW.test(text)) return null
    windowId = Number(text)
  }
  return { windowId, event, eventBytes }
}

/**
 * The bytes of the event in a blob_v2 line `["<window id>",{…}]`, so that it is stored as read rather than
 * re-serialised; undefined when the line is not that simple (the event is then serialised from its parsed value).
 */
function blobLineEvent(raw: Buffer): Buffer | undefined {
  if (raw[0] !== 0x5b) return undefined
  let i = 1
  if (raw[i] === 0x22) {
    i = raw.indexOf(0x22, i + 1)
    if (i < 0 || raw.lastIndexOf(0x5c, i) > 1) return undefined
    i++
  } else {
    while (i < raw.length && ((raw[i] >= 0x30 && raw[i] <= 0x39) || raw[i] === 0x2d)) i++
  }
  if (raw[i] !== 0x2c || raw[i + 1] !== 0x7b || raw[raw.length - 1] !== 0x5d || raw[raw.length - 2] !== 0x7d) {
    return undefined
  }
  return raw.subarray(i + 1, raw.length - 1)
}

/**
 * One HogQL result row as an object: `properties.$session_id`-style column names nest under `properties`, and a
 * `properties` column holding JSON text is parsed.
 */
export function hogqlRowToRecord(columns: unknown[], row: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  const properties: Record<string, unknown> = {}
  columns.forEach((column, index) => {
    if (typeof column !== 'string') return
    const value = row[index]
    if (column.startsWith('properties.')) properties[column.slice('properties.'.length)] = value
    else record[column] = value
  })
  if (typeof record.properties === 'string') {
    try {
      record.properties = JSON.parse(record.properties)
    } catch {
      // Left as text: the event normaliser says what is wrong with it.
    }
  }
  if (Object.keys(properties).length > 0) {
    record.properties = { ...(isObject(record.properties) ? record.properties : {}), ...properties }
  }
  return record
}

function applyPerson(builder: RecordingBuilder, person: unknown): void {
  if (!isObject(person)) return
  const distinctIds = Array.isArray(person.distinct_ids) ? person.distinct_ids.filter((d) => typeof d === 'string') : []
  if (builder.distinctId === null && distinctIds.length > 0) builder.distinctId = distinctIds[0] as string
  if (person.uuid === undefined && (person.id === undefined || person.id === null)) return
  try {
    builder.person = { ...normalizePerson(person), hasProfile: false }
  } catch {
    // A person without a usable id still lent the recording its distinct id.
  }
}

/** A `session_recordings` API object (metadata without snapshots), e.g. saved next to a blob file. */
function isRecordingMeta(value: unknown): boolean {
  return isObject(value) && typeof value.id === 'string' && ('recording_duration' in value || 'start_time' in value)
}

function describeUnknown(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length} item(s) that are not events`
  if (isObject(value)) {
    const keys = Object.keys(value).slice(0, 5)
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.join(', ')}${Object.keys(value).length > 5 ? ', …' : ''}`
  }
  return `a ${value === null ? 'null' : typeof value} value`
}
