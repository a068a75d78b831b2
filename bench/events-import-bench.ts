/**
 * `npm run bench:events`: imports a generated analytics events export (JSON lines of PostHog batch-export events
 * of about 3.3 KB, like the demo dataset's) and prints events/s, MB/s and CPU time, for two paths:
 *
 *  - store: the rows normalised beforehand, then only `storeEvents` into a fresh cache in one transaction (the
 *    writer thread's share of an import: the upsert, its indexes and `event_columns`), the commit, and the run's
 *    relink (each event's person);
 *  - import: `importPaths` on the file into another fresh cache, end to end (parse workers, store, relink).
 *
 * Environment: BENCH_EVENTS (default 100000) events, BENCH_RUNS (default 3) runs of each path, interleaved,
 * BENCH_ONLY=store|import for one path, BENCH_WORKERS to force the number of parse workers (default as the CLI:
 * none for one file, which is then parsed on the writer's thread). The file is generated once under
 * bench/.data/events/ from the demo dataset's events (new uuids, sessions and times per copy, in time order like an
 * export) and reused. Parse workers run the TypeScript sources through tsx unless TAPEDECK_IMPORT_WORKER names a
 * built one.
 */
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { openDatabase } from '../src-main/db/open-database'
import { normalizeEvent } from '../src-main/ingest/event-normalize'
import { EVENT_BATCH } from '../src-main/ingest/import-file'
import { importPaths } from '../src-main/ingest/import-service'
import { createChangeSet, createImportStore } from '../src-main/ingest/import-store'
import { relink } from '../src-main/ingest/relink'
import type { EventRow } from '../src-main/ingest/rows'
import { useBuiltImportWorker } from './built-worker'

const count = Number(process.env.BENCH_EVENTS ?? 100_000)
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3))
const only = process.env.BENCH_ONLY
const workers =
  process.env.BENCH_WORKERS === undefined ? undefined : Number(process.env.BENCH_WORKERS)
const root = join(import.meta.dirname, '.data', 'events')
const source = join(import.meta.dirname, '..', 'test', 'fixtures', 'acme-small', 'events.jsonl')
const file = join(root, `events-${count}.jsonl`)

function hex(value: number, digits: number): string {
  return Math.floor(value).toString(16).padStart(digits, '0').slice(-digits)
}

/** Copies of the demo events with fresh ids, shifted by a day per copy, so the export is in time order. */
function generate(): void {
  if (existsSync(file)) return
  mkdirSync(root, { recursive: true })
  process.stdout.write(`generating ${count} events in ${file} … `)
  const templates = readFileSync(source, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(
      (line) =>
        JSON.parse(line) as Record<string, unknown> & { properties: Record<string, unknown> }
    )
  templates.sort((a, b) => Date.parse(a.timestamp as string) - Date.parse(b.timestamp as string))
  const firstMs = Date.parse(templates[0].timestamp as string)
  const lines: string[] = []
  const sessionsOfCopy = new Map<string, string>()
  let written = 0
  for (let copy = 0; written < count; copy++) {
    sessionsOfCopy.clear()
    for (const template of templates) {
      if (written >= count) break
      const timestampMs = Date.parse(template.timestamp as string) + copy * 86_400_000
      const uuid = `${hex(timestampMs / 65536, 8)}-${hex(timestampMs, 4)}-7${hex(written, 3)}-8${hex(copy, 3)}-${hex(written, 12)}`
      const properties = { ...template.properties }
      const session = properties.$session_id
      if (typeof session === 'string') {
        let renamed = sessionsOfCopy.get(session)
        if (renamed === undefined) {
          renamed = `${session.slice(0, 24)}${hex(copy, 4)}${hex(sessionsOfCopy.size, 8)}`
          sessionsOfCopy.set(session, renamed)
        }
        properties.$session_id = renamed
      }
      lines.push(
        JSON.stringify({
          ...template,
          uuid,
          timestamp: new Date(timestampMs).toISOString(),
          properties
        })
      )
      written++
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  process.stdout.write(`${(statSync(file).size / 1024 / 1024).toFixed(0)} MB (from ${firstMs})\n`)
}

async function readRows(): Promise<EventRow[]> {
  const rows: EventRow[] = []
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  for await (const line of lines)
    if (line.trim() !== '') rows.push(normalizeEvent(JSON.parse(line)))
  return rows
}

type Figures = { seconds: number; cpuSeconds: number; relinkSeconds?: number }

function freshCache(label: string) {
  const dir = join(root, `cache-${label}`)
  rmSync(dir, { recursive: true, force: true })
  return openDatabase(join(dir, 'cache.sqlite'))
}

function storeOnly(rows: readonly EventRow[]): Figures {
  const db = freshCache('store')
  const store = createImportStore(db)
  const changes = createChangeSet()
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  db.exec('BEGIN IMMEDIATE')
  // In the batches an import hands to the store.
  for (let i = 0; i < rows.length; i += EVENT_BATCH)
    store.storeEvents(rows.slice(i, i + EVENT_BATCH), [], changes)
  db.exec('COMMIT')
  const storedAt = performance.now()
  db.transaction(() => relink(db, changes)).immediate()
  const relinkSeconds = (performance.now() - storedAt) / 1000
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const stored = db.prepare(`SELECT count(*) FROM events`).pluck().get() as number
  const columns = db.prepare(`SELECT count(*) FROM event_columns`).pluck().get() as number
  db.close()
  if (stored !== rows.length || columns !== rows.length)
    throw new Error(`stored ${stored} events and ${columns} column rows of ${rows.length}`)
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, relinkSeconds }
}

async function importEnd(): Promise<Figures> {
  const db = freshCache('import')
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const summary = await importPaths(db, [file], { workers })
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const columns = db.prepare(`SELECT count(*) FROM event_columns`).pluck().get() as number
  db.close()
  if (summary.totals.events !== count || columns !== count || summary.files.failed > 0)
    throw new Error(
      `imported ${summary.totals.events} events and ${columns} column rows of ${count}`
    )
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

function report(label: string, figures: Figures[], loads: number[]): void {
  const mb = statSync(file).size / 1024 / 1024
  const sorted = [...figures].sort((a, b) => a.seconds - b.seconds)
  const min = sorted[0]
  const median = sorted[Math.floor((sorted.length - 1) / 2)]
  const rate = (f: Figures) =>
    `${f.seconds.toFixed(2)} s = ${Math.round(count / f.seconds).toLocaleString('en')} events/s, ${(mb / f.seconds).toFixed(1)} MB/s, CPU ${f.cpuSeconds.toFixed(2)} s` +
    (f.relinkSeconds === undefined ? '' : ` (relink ${f.relinkSeconds.toFixed(2)} s)`)
  console.log(
    `${label} (${figures.length} runs, load average ${loads.map((l) => l.toFixed(1)).join(', ')})`
  )
  console.log(`  min     ${rate(min)}`)
  console.log(`  median  ${rate(median)}`)
  if (sorted.length > 1) console.log(`  max     ${rate(sorted[sorted.length - 1])}`)
}

generate()
console.log(
  `${count} events, ${(statSync(file).size / 1024 / 1024).toFixed(0)} MB; parse workers: ${useBuiltImportWorker()}`
)
const rows = only === 'import' ? [] : await readRows()
const store: Figures[] = []
const imports: Figures[] = []
const storeLoads: number[] = []
const importLoads: number[] = []
for (let run = 0; run < runs; run++) {
  if (only !== 'import') {
    store.push(storeOnly(rows))
    storeLoads.push(loadavg()[0])
  }
  if (only !== 'store') {
    imports.push(await importEnd())
    importLoads.push(loadavg()[0])
  }
}
if (store.length > 0)
  report('store (storeEvents + commit + relink, writer thread only)', store, storeLoads)
if (imports.length > 0) report('import (importPaths end to end)', imports, importLoads)
rmSync(join(root, 'cache-store'), { recursive: true, force: true })
rmSync(join(root, 'cache-import'), { recursive: true, force: true })
