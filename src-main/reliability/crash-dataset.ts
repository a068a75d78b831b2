import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  openSync,
  readSync,
  closeSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { generateRecordings } from '../../bench/generate-recordings'

export type CrashDataset = {
  /** What to pass to `tapedeck import`: files and folders. */
  paths: string[]
  files: number
  bytes: number
}

export type CrashDatasetOptions = {
  /** Folder to write the generated files into (created). */
  dir: string
  /** Bytes of generated V2 recording exports (0: none). */
  recordingBytes: number
  /** Approximate size of one generated recording. */
  bytesPerRecording?: number
  /** Folders or files of real exports to import as well (e.g. test/fixtures/acme-small). */
  extraPaths?: string[]
  seed?: number
}

/**
 * Writes a dataset for the crash test: generated PostHog V2 exports (every other one gzipped), analytics events for
 * their sessions as gzipped JSON Lines (pageviews, clicks and `$exception`s, linked by `$session_id` and
 * `$window_id`), and the persons behind them as JSON Lines, so a kill can land in any kind of file and in the relink
 * that ties them together. `extraPaths` (real exports) are imported alongside.
 */
export async function writeCrashDataset(options: CrashDatasetOptions): Promise<CrashDataset> {
  const recordingsDir = join(options.dir, 'recordings')
  mkdirSync(recordingsDir, { recursive: true })
  const seed = options.seed ?? 7
  const generated =
    options.recordingBytes > 0
      ? await generateRecordings({
          dir: recordingsDir,
          totalBytes: options.recordingBytes,
          recordingBytes: options.bytesPerRecording ?? 1024 * 1024,
          seed
        })
      : { files: [] as string[], bytes: 0 }

  const eventLines: string[] = []
  const personLines: string[] = []
  let bytes = generated.bytes
  generated.files.forEach((file, index) => {
    const sessionId = /export-(.+)-ph-recording\.json$/.exec(basename(file))?.[1]
    const head = readHead(file, 4096)
    const startMs = Number(/"timestamp":(\d+)/.exec(head)?.[1] ?? Date.UTC(2026, 9, 1))
    const windowId = /"windowId":"([^"]+)"/.exec(head)?.[1] ?? null
    if (!sessionId) return
    const userIndex = index % Math.max(1, Math.ceil(generated.files.length / 2))
    const distinctId = `crash-user-${userIndex}`
    const uuid = (n: number) =>
      `0190${hex(seed, 4)}-${hex(index, 4)}-7${hex(n, 3)}-8${hex(index * 31 + n, 3)}-${hex(index * 7919 + n, 12)}`
    const base = { distinct_id: distinctId }
    const properties = (offsetMs: number, extra: Record<string, unknown> = {}) => ({
      $session_id: sessionId,
      $window_id: windowId,
      $current_url: `https://shop.example.test/p/${index}`,
      $browser: index % 2 === 0 ? 'Chrome' : 'Firefox',
      offset_ms: offsetMs,
      ...extra
    })
    const at = (offsetMs: number) => new Date(startMs + offsetMs).toISOString()
    eventLines.push(
      JSON.stringify({
        uuid: uuid(1),
        event: '$pageview',
        ...base,
        timestamp: at(10),
        properties: properties(10)
      }),
      JSON.stringify({
        uuid: uuid(2),
        event: '$autocapture',
        ...base,
        timestamp: at(900),
        properties: properties(900)
      }),
      JSON.stringify({
        uuid: uuid(3),
        event: 'added_to_cart',
        ...base,
        timestamp: at(1500),
        properties: properties(1500)
      })
    )
    if (index % 3 === 0) {
      eventLines.push(
        JSON.stringify({
          uuid: uuid(4),
          event: '$exception',
          ...base,
          timestamp: at(2000),
          properties: properties(2000, {
            $exception_list: [
              {
                type: 'TypeError',
                value: `Cannot read properties of undefined (reading 'item${index}')`,
                mechanism: { type: 'generic', handled: false },
                stacktrace: {
                  type: 'raw',
                  frames: [
                    {
                      filename: 'https://shop.example.test/app.js',
                      function: 'addToCart',
                      lineno: 10,
                      colno: 5,
                      in_app: true
                    }
                  ]
                }
              }
            ],
            $exception_level: 'error'
          })
        })
      )
    }
    if (index < Math.ceil(generated.files.length / 2)) {
      personLines.push(
        JSON.stringify({
          id: `0190${hex(seed, 4)}-0000-7000-8000-${hex(userIndex, 12)}`,
          uuid: `0190${hex(seed, 4)}-0000-7000-8000-${hex(userIndex, 12)}`,
          name: `Crash User ${userIndex}`,
          distinct_ids: [distinctId],
          properties: {
            email: `crash.user${userIndex}@example.test`,
            name: `Crash User ${userIndex}`
          },
          created_at: new Date(startMs).toISOString()
        })
      )
    }
  })

  const paths: string[] = []
  let files = 0
  // Every other recording gzipped: the gunzip stream is in the path a kill can land in too.
  for (const [index, file] of generated.files.entries()) {
    if (index % 2 === 1) {
      await pipeline(
        createReadStream(file),
        createGzip({ level: 1 }),
        createWriteStream(`${file}.gz`)
      )
      rmSync(file)
    }
    files++
  }
  if (generated.files.length > 0) paths.push(recordingsDir)
  if (eventLines.length > 0) {
    const eventsFile = join(options.dir, 'events.jsonl')
    const text = `${eventLines.join('\n')}\n`
    writeFileSync(eventsFile, text)
    await pipeline(
      createReadStream(eventsFile),
      createGzip(),
      createWriteStream(`${eventsFile}.gz`)
    )
    rmSync(eventsFile)
    const personsFile = join(options.dir, 'persons.jsonl')
    writeFileSync(personsFile, `${personLines.join('\n')}\n`)
    paths.push(`${eventsFile}.gz`, personsFile)
    bytes += Buffer.byteLength(text) + personLines.join('\n').length
    files += 2
  }
  for (const extra of options.extraPaths ?? []) paths.push(extra)
  return { paths, files, bytes }
}

function readHead(file: string, length: number): string {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const read = readSync(fd, buffer, 0, length, 0)
    return buffer.toString('utf8', 0, read)
  } finally {
    closeSync(fd)
  }
}

function hex(value: number, width: number): string {
  return (Math.abs(Math.floor(value)) % 16 ** Math.min(width, 12)).toString(16).padStart(width, '0')
}
