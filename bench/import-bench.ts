/**
 * `npm run bench:import`: imports generated rrweb exports and prints MB/s, events/s, CPU time (in all and per
 * thread, on Linux), peak RSS and cache size.
 *
 * Environment: BENCH_MB (default 100) of compact exports, BENCH_LARGE_MB (default 0: off) for one extra single
 * large pretty-printed export (the memory check), BENCH_WORKERS to force the worker count, BENCH_TIMELINE=1 for
 * how busy each thread was in every 100 ms (where a core idles). The parse workers are
 * the built app's (out/main/import-worker.js, as the desktop app runs them) when `npm run build` has made them, else
 * the TypeScript sources through tsx (which adds about 0.3 s of CPU per worker to start).
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src-main/db/open-database'
import { importPaths } from '../src-main/ingest/import-service'
import { useBuiltImportWorker } from './built-worker'
import { generateRecordings } from './generate-recordings'

const root = join(import.meta.dirname, '.data', 'import')
const totalMb = Number(process.env.BENCH_MB ?? 100)
const largeMb = Number(process.env.BENCH_LARGE_MB ?? 0)
const workers = process.env.BENCH_WORKERS === undefined ? undefined : Number(process.env.BENCH_WORKERS)
const timeline = process.env.BENCH_TIMELINE === '1'

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0)
}

async function ensureDataset(dir: string, mb: number, options: { pretty?: boolean; recordingBytes?: number; seed: number }) {
  const marker = join(dir, `.complete-${mb}`)
  if (existsSync(marker)) return
  rmSync(dir, { recursive: true, force: true })
  process.stdout.write(`generating ${mb} MB of exports in ${dir} … `)
  const { files, events } = await generateRecordings({ dir, totalBytes: mb * 1024 * 1024, ...options })
  const { writeFileSync } = await import('node:fs')
  writeFileSync(marker, `${files.length} files, ${events} events\n`)
  process.stdout.write(`${files.length} files, ${events} events\n`)
}

/**
 * On-CPU time of each thread of this process so far (Linux: /proc/self/task/<tid>/schedstat, in ns), so the report
 * can say how busy the writer (main thread) and each parse worker were. Empty elsewhere.
 */
function threadCpuNs(): Map<number, number> {
  const times = new Map<number, number>()
  if (!existsSync('/proc/self/task')) return times
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      times.set(Number(tid), Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]))
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return times
}

/** The per-thread line: main thread (the writer) first, then the busiest other threads (the parse workers). */
function describeThreads(before: Map<number, number>, last: Map<number, number>): string {
  const used = [...last].map(([tid, ns]) => [tid, ns - (before.get(tid) ?? 0)] as const)
  const main = used.find(([tid]) => tid === process.pid)?.[1] ?? 0
  const others = used
    .filter(([tid, ns]) => tid !== process.pid && ns > 50e6)
    .sort((a, b) => b[1] - a[1])
    .map(([, ns]) => (ns / 1e9).toFixed(2))
  return `main ${(main / 1e9).toFixed(2)} s, other threads ${others.join(' / ')} s`
}

type ThreadSample = { atMs: number; times: Map<number, number> }

/**
 * BENCH_TIMELINE=1: how busy each thread was in every 100 ms of the run (percent of one core), to see where a core
 * idles: before the writer has work, while it waits, after the last parse. Columns: the writer (main thread), the
 * parse workers (threads started during the run, busiest first), and V8's own threads (compiler, GC) together.
 */
function printTimeline(samples: ThreadSample[], before: Map<number, number>): void {
  const last = samples.at(-1)!.times
  const started = [...last.keys()].filter((tid) => !before.has(tid))
  const workerTids = started.sort((a, b) => (last.get(b) ?? 0) - (last.get(a) ?? 0)).slice(0, 2)
  const background = [...before.keys()].filter((tid) => tid !== process.pid)
  const sum = (times: Map<number, number>, tids: number[]) => tids.reduce((total, tid) => total + (times.get(tid) ?? 0), 0)
  const bucketMs = 100
  console.log('  timeline (% of a core per 100 ms): ms      writer  worker1 worker2 v8-threads')
  let previous = { atMs: samples[0].atMs, times: before }
  let bucketStart = samples[0].atMs
  let acc = [0, 0, 0, 0]
  const columns = (times: Map<number, number>) => [
    times.get(process.pid) ?? 0,
    times.get(workerTids[0]) ?? 0,
    times.get(workerTids[1]) ?? 0,
    sum(times, background)
  ]
  for (const sample of samples) {
    const now = columns(sample.times)
    const then = columns(previous.times)
    acc = acc.map((value, i) => value + Math.max(0, now[i] - then[i]))
    previous = sample
    if (sample.atMs - bucketStart >= bucketMs || sample === samples.at(-1)) {
      const span = (sample.atMs - bucketStart) * 1e6
      const pct = acc.map((ns) => String(Math.round((ns / span) * 100)).padStart(7))
      console.log(`  ${String(Math.round(bucketStart - samples[0].atMs)).padStart(38)} ${pct.join(' ')}`)
      bucketStart = sample.atMs
      acc = [0, 0, 0, 0]
    }
  }
}

async function run(label: string, dir: string) {
  const dbDir = join(root, `cache-${label}`)
  rmSync(dbDir, { recursive: true, force: true })
  const db = openDatabase(join(dbDir, 'cache.sqlite'))
  const inputBytes = dirBytes(dir)
  const rssBefore = process.memoryUsage().rss
  let peakRss = rssBefore
  const threadsBefore = threadCpuNs()
  const threadsLast = new Map(threadsBefore)
  // Worker threads are gone once the import returns: keep the last time seen of every thread.
  const samples: ThreadSample[] = [{ atMs: performance.now(), times: threadsBefore }]
  const sampleThreads = () => {
    const times = threadCpuNs()
    for (const [tid, ns] of times) threadsLast.set(tid, ns)
    if (timeline) samples.push({ atMs: performance.now(), times: new Map(threadsLast) })
  }
  // Reading every thread's time costs the writer's thread about 0.2 ms: every 50 ms, or 20 for the timeline.
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    sampleThreads()
  }, timeline ? 20 : 50)
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const summary = await importPaths(db, [dir], { workers })
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  clearInterval(sampler)
  sampleThreads()
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024)
  const events = db.prepare(`SELECT sum(event_count) FROM recordings`).pluck().get() as number
  db.pragma('wal_checkpoint(TRUNCATE)')
  const cacheBytes = dirBytes(dbDir)
  db.close()
  const mb = inputBytes / 1024 / 1024
  console.log(
    [
      `${label}: ${summary.files.imported} files, ${mb.toFixed(0)} MB of JSON, ${events} events, ${summary.totals.recordings} recordings`,
      `  time          ${seconds.toFixed(2)} s`,
      `  throughput    ${(mb / seconds).toFixed(1)} MB/s, ${Math.round(events / seconds).toLocaleString('en')} events/s`,
      `  CPU time      ${cpuSeconds.toFixed(2)} s on all threads (${(mb / cpuSeconds).toFixed(1)} MB per CPU-second; load average ${loadavg()[0].toFixed(1)} during the run)`,
      `  CPU threads   ${describeThreads(threadsBefore, threadsLast)} (workers: last sample)`,
      `  peak RSS      ${(peakRss / 1024 / 1024).toFixed(0)} MB (process, including worker threads)`,
      `  cache size    ${(cacheBytes / 1024 / 1024).toFixed(1)} MB (${((cacheBytes / inputBytes) * 100).toFixed(0)}% of the input)`,
      `  failures      ${summary.files.failed}`
    ].join('\n')
  )
  if (timeline) printTimeline(samples, threadsBefore)
}

console.log(`parse workers: ${useBuiltImportWorker()}`)

const compactDir = join(root, totalMb === 100 ? 'compact' : `compact-${totalMb}`)
await ensureDataset(compactDir, totalMb, { seed: 7 })
await run('compact exports', compactDir)
if (largeMb > 0) {
  const largeDir = join(root, 'large')
  await ensureDataset(largeDir, largeMb, { pretty: true, recordingBytes: largeMb * 1024 * 1024, seed: 9 })
  await run('one large pretty-printed export', largeDir)
}
