/**
 * `npm run bench:ui` (not a test): list and search latency through the contract with 100k recordings in the cache,
 * and the player's time to first frame and to seek for a 1-hour recording of ~200k events, in Chromium.
 *
 * The cache is built once per page kind under bench/.data/ui (cache-<N>-<page>, kept between runs): the acme-small
 * demo is imported, its recordings are cloned (rows, FTS documents) up to BENCH_RECORDINGS (default 100000) spread
 * over 90 days, and one generated 1-hour recording (one full snapshot of ~6.4k nodes, then ~200k incrementals) is
 * imported with the real importer. Its page is BENCH_LONG_PAGE: `dashboard` (default; a realistic admin dashboard of
 * ~4.5k elements) or `nested-flex` (the first generator's page: every element a nested flex card, a layout worst case).
 *
 * The browser measurements run against `tapedeck serve` in its own process (as a user runs it). In the same fresh
 * browsers, plain rrweb is measured on the same events as a reference (the method of shared/PERF-LIMITS.md section 5):
 * a blank page served by this process loads the Replayer the app bundles (@rrweb/replay's UMD build) and times the
 * events' fetch + JSON.parse, `new Replayer(events, { root })` to 'fullsnapshot-rebuilded' + two frames (its first
 * frame), and `pause(end)` + two frames (its seek to the end). The app and the reference take turns going first. The
 * header line names the page and counts its elements after rrweb's rebuild in Chromium.
 *
 * Environment: BENCH_LONG_PAGE, BENCH_RECORDINGS, BENCH_RUNS (queries per case, default 100), BENCH_BROWSERS (fresh browsers for the
 * player figures, default 3), BENCH_LIST_ONLY=1 (only the list and search figures), BENCH_LIST_FILTER (only the list
 * cases whose label contains it), BENCH_PLAYER_ONLY=1 (only the player figures), BENCH_PLAYER_WARM=0 (skip waiting for
 * the keyframe index and the warm seeks), TAPEDECK_RENDERER_DIR (serve another renderer build, e.g. to compare two
 * builds interleaved), CHROMIUM_PATH. The first frame is also split into phases: ms from the click to the detail
 * received, the player mounted, the last chunk decoded when the figures are read (look-ahead chunks included), and the
 * first frame mark (then two more frames for the click → first frame figure). The cold seeks (right after the first
 * frame: to the end, back to the start, five seek-bar clicks) are split the same way by `SEEK_MARKS`: the stored
 * keyframe fetched, inflated and decoded, the chunks decoded, the events ready, the page rebuilt, the seek applied
 * (replayed to the target) and two frames later (layout and paint).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { dirname, join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createApi } from '../src-main/api/create-api'
import { closeAppContext, openAppContext, type AppContext } from '../src-main/core/app-context'
import { importPaths } from '../src-main/ingest/import-service'
import { ensureRendererBuilt } from '../src-main/web/renderer-build'
import {
  createRandom,
  LONG_RECORDING_PAGES,
  writeLongRecording,
  type LongRecordingPage,
  type SerializedNode
} from './generate-long-recording'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/chromium'
import { benchListContract, percentile } from './list-bench'

const ROOT = join(import.meta.dirname, '.data', 'ui')
const TARGET_RECORDINGS = Number(process.env.BENCH_RECORDINGS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 100)
const BROWSERS = Number(process.env.BENCH_BROWSERS ?? 3)
const PLAYER_ONLY = process.env.BENCH_PLAYER_ONLY === '1'
/** BENCH_PLAYER_WARM=0 skips waiting for the background keyframe index (and the warm seeks). */
const PLAYER_WARM = process.env.BENCH_PLAYER_WARM !== '0'
/** Renderer phases of the first frame: performance marks set by the player, in order. */
const FIRST_FRAME_MARKS = ['tapedeck:detail-received', 'tapedeck:player-mounted', 'tapedeck:chunk-decoded', 'tapedeck:first-frame']
const ACME = join(import.meta.dirname, '..', 'test', 'fixtures', 'acme-small')
const LONG_ID = 'bench-1h-recording'
/** The 1-hour recording's page (BENCH_LONG_PAGE). */
const PAGE = (process.env.BENCH_LONG_PAGE ?? 'dashboard') as LongRecordingPage
if (!LONG_RECORDING_PAGES.includes(PAGE)) {
  throw new Error(`BENCH_LONG_PAGE must be one of ${LONG_RECORDING_PAGES.join(', ')} (got ${PAGE})`)
}
/** The generated 1-hour recording (a PostHog V2 export), kept next to the caches. */
const LONG_FILE = join(ROOT, `long-recording-${PAGE}.json`)
function stats(samples: number[]): { p50: number; p95: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN
  }
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1))

/** Clones the imported recordings (and their search documents) until the cache holds `target` of them. */
function cloneRecordings(context: AppContext, target: number): void {
  const db = context.db
  const columns = (
    db.prepare(`PRAGMA table_info(recordings)`).all() as Array<{ name: string }>
  ).map((c) => c.name)
  const sources = db.prepare(`SELECT * FROM recordings WHERE id <> ?`).all(LONG_ID) as Array<
    Record<string, unknown>
  >
  const existing = db.prepare(`SELECT count(*) AS n FROM recordings`).get() as { n: number }
  const missing = target - existing.n
  if (missing <= 0 || sources.length === 0) return
  // `rowid` is a declared column (INTEGER PRIMARY KEY), so it is in the list.
  const insert = db.prepare(
    `INSERT INTO recordings (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`
  )
  const selectFts = db.prepare(
    `SELECT people, urls, console, exceptions, tags, events FROM recordings_fts WHERE rowid = ?`
  )
  const insertFts = db.prepare(
    `INSERT INTO recordings_fts (rowid, people, urls, console, exceptions, tags, events) VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
  const random = createRandom(11)
  const endMs = Date.UTC(2026, 9, 22)
  const spanMs = 90 * 86_400_000
  const used = new Set<number>()
  db.transaction(() => {
    for (let k = 0; k < missing; k++) {
      const source = sources[k % sources.length] as Record<string, unknown>
      const startMs = endMs - Math.floor(random() * spanMs)
      let rowid = startMs * 1024 + (k % 1024)
      while (used.has(rowid)) rowid++
      used.add(rowid)
      const durationMs = Number(source.duration_ms)
      insert.run({
        ...source,
        rowid,
        id: `bench-${k}`,
        start_ms: startMs,
        end_ms: startMs + durationMs,
        viewed_at_ms: null,
        distinct_id: `bench-user-${k % 40_000}`
      })
      const doc = selectFts.get(source.rowid) as Record<string, string> | undefined
      insertFts.run(
        rowid,
        `${doc?.people ?? ''} bench-user-${k % 40_000} user${k % 40_000}@bench.test`,
        doc?.urls ?? '',
        doc?.console ?? '',
        doc?.exceptions ?? '',
        doc?.tags ?? '',
        doc?.events ?? ''
      )
    }
  })()
  db.exec(`INSERT INTO recordings_fts (recordings_fts) VALUES ('optimize')`)
}

async function ensureCache(dataDir: string): Promise<void> {
  const marker = join(dataDir, `.complete-${TARGET_RECORDINGS}`)
  if (existsSync(marker)) return
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  const started = performance.now()
  const context = openAppContext({ dataDir, shell: 'cli' })
  try {
    process.stdout.write('building the bench cache: importing acme-small … ')
    await importPaths(context.db, [ACME])
    process.stdout.write(`writing the 1-hour recording (page: ${PAGE}) … `)
    const { events, bytes } = await writeLongRecording(LONG_FILE, { id: LONG_ID, page: PAGE })
    process.stdout.write(`${events} events, ${(bytes / 1024 / 1024).toFixed(0)} MB; importing … `)
    await importPaths(context.db, [LONG_FILE])
    process.stdout.write(`cloning to ${TARGET_RECORDINGS} recordings … `)
    cloneRecordings(context, TARGET_RECORDINGS)
    context.db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    closeAppContext(context)
  }
  writeFileSync(marker, 'ok\n')
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

/** List and search through the contract: the cases are in list-bench.ts. */
async function benchContract(context: AppContext, origin: string, token: string): Promise<void> {
  await benchListContract(context, { runs: RUNS, http: { origin, token }, only: process.env.BENCH_LIST_FILTER })
}

/**
 * Runs `action` (JavaScript) in the page and resolves with the ms until the performance mark `mark` is recorded after
 * it, plus two frames. In-page code is passed as text: tsx's transform would add helpers the page does not have.
 */
async function timeUntilMark(page: Page, action: string, mark: string): Promise<number> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now();
    ${action};
    const deadline = t0 + 60000
    const check = () => {
      if (performance.getEntriesByName(${JSON.stringify(mark)}).some((m) => m.startTime >= t0)) {
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)))
      } else if (performance.now() > deadline) reject(new Error('no mark within 60 s'))
      else setTimeout(check, 2)
    }
    check()
  })`) as Promise<number>
}

/** Marks a seek sets on its way (in order), ms after the action: where a seek's time goes. */
const SEEK_MARKS = [
  'tapedeck:seek-plan',
  'tapedeck:keyframe-fetched',
  'tapedeck:keyframe-inflated',
  'tapedeck:keyframe-decoded',
  'tapedeck:chunk-decoded',
  'tapedeck:seek-events-ready',
  'tapedeck:seek-rebuilt',
  'tapedeck:seek-applied'
]

/**
 * Like `timeUntilMark(page, action, 'tapedeck:seek-applied')`, and also when each of `SEEK_MARKS` was last set after
 * the action (NaN when not set: e.g. no keyframe fetched for a seek inside what is loaded). The total includes two
 * frames after the seek is applied (style, layout and paint of the replayed page).
 */
async function timeSeek(page: Page, action: string): Promise<{ total: number; marks: number[] }> {
  return page.evaluate(`new Promise((resolve, reject) => {
    const t0 = performance.now();
    ${action};
    const deadline = t0 + 60000
    const since = (name) => {
      const entries = performance.getEntriesByName(name).filter((m) => m.startTime >= t0)
      return entries.length > 0 ? entries[entries.length - 1].startTime - t0 : NaN
    }
    const check = () => {
      if (Number.isFinite(since('tapedeck:seek-applied'))) {
        requestAnimationFrame(() => requestAnimationFrame(() =>
          resolve({ total: performance.now() - t0, marks: ${JSON.stringify(SEEK_MARKS)}.map(since) })))
      } else if (performance.now() > deadline) reject(new Error('no seek within 60 s'))
      else setTimeout(check, 2)
    }
    check()
  })`) as Promise<{ total: number; marks: number[] }>
}

/** Commits a search through the URL (as Enter or a link does) and resolves with the ms until the rows are painted. */
async function timeSearch(page: Page, term: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const count = () => document.querySelector('[data-testid="result-count"]')?.textContent
    const before = count()
    const t0 = performance.now()
    location.hash = '#/recordings?q=' + encodeURIComponent(${JSON.stringify(term)})
    const check = () => {
      if (document.querySelector('[data-app-state="ready"]') && count() !== before) {
        requestAnimationFrame(() => resolve(performance.now() - t0))
      } else requestAnimationFrame(check)
    }
    check()
  })`) as Promise<number>
}

/** What the reference page serves: the Replayer the app bundles and the 1-hour recording's events. */
type Reference = { replayJs: Buffer; replayCss: Buffer; events: Buffer; page: PageFacts }
/** The generated page as serialized: its nodes, elements, deepest nesting and the full snapshot's size. */
type PageFacts = { nodes: number; elements: number; depth: number; snapshotBytes: number }

/** Reads the 1-hour recording's events (the export's snapshots array) and rrweb's UMD build for the reference page. */
function loadReference(): Reference {
  const snapshots = (JSON.parse(readFileSync(LONG_FILE, 'utf8')) as { data: { snapshots: Array<{ type: number; data: { node?: SerializedNode } }> } })
    .data.snapshots
  const facts: PageFacts = { nodes: 0, elements: 0, depth: 0, snapshotBytes: 0 }
  const walk = (node: SerializedNode, depth: number) => {
    facts.nodes++
    if (node.type === 2) facts.elements++
    facts.depth = Math.max(facts.depth, depth)
    for (const child of node.childNodes ?? []) walk(child, depth + 1)
  }
  const full = snapshots.find((event) => event.type === 2)?.data.node
  if (full) {
    walk(full, 0)
    facts.snapshotBytes = Buffer.byteLength(JSON.stringify(full))
  }
  // The package the player imports (src-renderer/features/player/create-replayer.ts), as its UMD build.
  const dist = dirname(createRequire(import.meta.url).resolve('@rrweb/replay'))
  return {
    replayJs: readFileSync(join(dist, 'replay.umd.min.cjs')),
    replayCss: readFileSync(join(dist, 'style.css')),
    events: Buffer.from(JSON.stringify(snapshots)),
    page: facts
  }
}

/** Serves the reference page on loopback (not through the DevTools protocol, whose fulfilled bodies travel as base64). */
async function startReferenceServer(reference: Reference): Promise<{ origin: string; stop: () => Promise<void> }> {
  const files: Record<string, [string, Buffer]> = {
    '/': [
      'text/html',
      Buffer.from(
        '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/replay.css"><script src="/replay.js"></script></head>' +
          '<body style="margin:0"><div id="root"></div></body></html>'
      )
    ],
    '/replay.js': ['text/javascript', reference.replayJs],
    '/replay.css': ['text/css', reference.replayCss],
    '/events.json': ['application/json', reference.events]
  }
  const server = createServer((request, response) => {
    const file = files[request.url ?? '']
    if (!file) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { 'content-type': file[0], 'content-length': file[1].length, 'cache-control': 'no-store' })
    response.end(file[1])
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** One plain rrweb run (ms; `elements`: the replayed document's elements after the rebuild). */
type ReferenceRun = { fetched: number; fetchParse: number; constructed: number; rebuilt: number; firstFrame: number; seekToEnd: number; elements: number }

/**
 * Plain rrweb on a blank page (PERF-LIMITS section 5): fetch + JSON.parse of the events, `new Replayer(events, { root })`
 * until 'fullsnapshot-rebuilded' plus two frames, then `pause(end)` plus two frames. Also counts console messages
 * (rrweb's warnings would slow it down).
 */
async function benchReference(browser: Browser, origin: string): Promise<ReferenceRun & { consoleMessages: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  try {
    const page = await context.newPage()
    const consoleMessages: string[] = []
    page.on('console', (message) => consoleMessages.push(message.text()))
    await page.goto(`${origin}/`)
    const run = (await page.evaluate(`(async () => {
      const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      const t0 = performance.now()
      const body = await (await fetch('/events.json')).text()
      const fetched = performance.now() - t0
      const events = JSON.parse(body)
      const fetchParse = performance.now() - t0
      const t1 = performance.now()
      const replayer = new rrwebReplay.Replayer(events, { root: document.getElementById('root') })
      const constructed = performance.now() - t1
      const rebuilt = await new Promise((resolve) => replayer.on('fullsnapshot-rebuilded', () => resolve(performance.now() - t1)))
      await frames()
      const firstFrame = performance.now() - t1
      const elements = replayer.iframe.contentDocument.querySelectorAll('*').length
      const t2 = performance.now()
      replayer.pause(replayer.getMetaData().totalTime)
      await frames()
      return { fetched, fetchParse, constructed, rebuilt, firstFrame, seekToEnd: performance.now() - t2, elements }
    })()`)) as ReferenceRun
    return { ...run, consoleMessages }
  } finally {
    await context.close()
  }
}

/** The elements of the app's replayed document (at its first frame). */
async function replayedElements(page: Page): Promise<number> {
  return page.evaluate(`document.querySelector('.replay-viewport iframe')?.contentDocument?.querySelectorAll('*').length ?? NaN`) as Promise<number>
}

async function benchBrowser(url: string, reference: Reference): Promise<void> {
  const searchSamples: number[] = []
  const firstFrames: number[] = []
  const coldSeeksToEnd: number[] = []
  const seeksBack: number[] = []
  const indexTimes: number[] = []
  const warmSeeks: number[] = []
  const warmSeeksToEnd: number[] = []
  const phases = new Map<string, number[]>()
  const coldSeeks: number[] = []
  const seekPhases = new Map<string, number[]>()
  const referenceRuns: ReferenceRun[] = []
  const appElements = new Set<number>()
  const referenceConsoleMessages: string[] = []
  const addSeek = (into: number[], seek: { total: number; marks: number[] }) => {
    into.push(seek.total)
    SEEK_MARKS.forEach((name, i) => {
      const value = seek.marks[i] as number
      if (Number.isFinite(value)) (seekPhases.get(name) ?? seekPhases.set(name, []).get(name))?.push(value)
    })
    ;(seekPhases.get('two frames later') ?? seekPhases.set('two frames later', []).get('two frames later'))?.push(seek.total)
  }
  /** The app's figures in `browser` (its page is closed at the end, so nothing of it runs during the reference). */
  const benchApp = async (browser: Browser) => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    try {
      await page.goto(url)
      await page.waitForSelector('[data-app-state="ready"]')

      // Search from the committed query (Enter, or a link) to the rows painted.
      for (const term of PLAYER_ONLY ? [] : ['user1234@bench.test', 'checkout', 'user77', 'Cannot read']) {
        for (let i = 0; i < 5; i++) {
          await page.evaluate('location.hash = "#/recordings"')
          await page.waitForSelector('[data-app-state="ready"]')
          const ms = await timeSearch(page, term)
          searchSamples.push(ms)
        }
      }

      // Player: open the 1-hour recording from the list, then seek.
      await page.evaluate('location.hash = "#/recordings"')
      await page.waitForSelector('[data-app-state="ready"]')
      firstFrames.push(
        await timeUntilMark(
          page,
          `performance.mark('tapedeck:open-clicked'); location.hash = '#/recordings/${LONG_ID}'`,
          'tapedeck:first-frame'
        )
      )
      await page.waitForSelector('[data-app-state="ready"]')
      appElements.add(await replayedElements(page))
      // Each phase's end, ms after the click (the last of each mark: the open just measured).
      const marks = (await page.evaluate(`(() => {
        const open = performance.getEntriesByName('tapedeck:open-clicked').at(-1)?.startTime ?? NaN
        return ${JSON.stringify(FIRST_FRAME_MARKS)}.map((name) => {
          const entry = performance.getEntriesByName(name).at(-1)
          return entry ? entry.startTime - open : NaN
        })
      })()`)) as number[]
      FIRST_FRAME_MARKS.forEach((name, i) => {
        const value = marks[i] as number
        if (Number.isFinite(value)) (phases.get(name) ?? phases.set(name, []).get(name))?.push(value)
      })
      const key = (k: string) => `window.dispatchEvent(new KeyboardEvent('keydown', { key: '${k}' }))`
      const clickAt = (fraction: number) =>
        `(() => { const bar = document.querySelector('[data-testid="seek-bar"]'); const r = bar.getBoundingClientRect(); const o = { clientX: r.left + r.width * ${fraction}, clientY: r.top + r.height / 2, bubbles: true, pointerId: 1, button: 0 }; bar.dispatchEvent(new PointerEvent('pointerdown', o)); bar.dispatchEvent(new PointerEvent('pointerup', o)) })()`
      // Cold: right after the first frame (before any keyframe is built in the browser; stored ones are used).
      addSeek(coldSeeksToEnd, await timeSeek(page, key('End')))
      addSeek(seeksBack, await timeSeek(page, key('Home')))
      for (const fraction of [0.5, 0.25, 0.9, 0.6, 0.75]) addSeek(coldSeeks, await timeSeek(page, clickAt(fraction)))
      if (!PLAYER_WARM) return
      // Warm: once the background index is built.
      const indexStart = Date.now()
      await page.waitForSelector('[data-keyframes="ready"]', { timeout: 600_000 })
      indexTimes.push(Date.now() - indexStart)
      for (const fraction of [0.5, 0.25, 0.9, 0.6]) {
        warmSeeks.push(await timeUntilMark(page, clickAt(fraction), 'tapedeck:seek-applied'))
      }
      warmSeeksToEnd.push(await timeUntilMark(page, key('End'), 'tapedeck:seek-applied'))
    } finally {
      await page.close()
    }
  }
  const referenceServer = await startReferenceServer(reference)
  try {
    for (let run = 0; run < BROWSERS; run++) {
      const browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS
      })
      try {
        // The app and plain rrweb take turns going first in a fresh browser.
        if (run % 2 === 1) await benchApp(browser)
        const { consoleMessages, ...referenceRun } = await benchReference(browser, referenceServer.origin)
        referenceRuns.push(referenceRun)
        referenceConsoleMessages.push(...consoleMessages)
        if (run % 2 === 0) await benchApp(browser)
      } finally {
        await browser.close()
      }
    }
  } finally {
    await referenceServer.stop()
  }
  const row = (label: string, samples: number[]) => {
    const s = stats(samples)
    console.log(
      `${label.padEnd(58)} median ${fmt(s.p50).padStart(6)}  p95 ${fmt(s.p95).padStart(6)}  [${fmt(s.min)}–${fmt(s.max)}]  n=${samples.length}`
    )
  }
  const referenceRow = (label: string, pick: (run: ReferenceRun) => number) =>
    row(`  plain rrweb (reference): ${label}`, referenceRuns.map(pick))
  const { page } = reference
  const count = (values: Iterable<number>) => [...new Set(values)].map((n) => n.toLocaleString('en-US')).join('/')
  console.log(
    `\nIn Chromium (${BROWSERS} fresh browsers; ms). Page: ${PAGE}, ${count(referenceRuns.map((r) => r.elements))} elements ` +
      `after rrweb's rebuild (in the app's player: ${count(appElements)}); ${page.elements.toLocaleString('en-US')} elements and ` +
      `${page.nodes.toLocaleString('en-US')} nodes serialized, ${page.depth} deep, full snapshot ${(page.snapshotBytes / 1024).toFixed(0)} KB`
  )
  if (!PLAYER_ONLY) row('search: query committed → rows painted', searchSamples)
  row('1-hour recording: click → first frame', firstFrames)
  for (const [name, samples] of phases) row(`  by ${name.replace('tapedeck:', '')}`, samples)
  referenceRow('fetch + JSON.parse', (r) => r.fetchParse)
  referenceRow('  by fetched (response text)', (r) => r.fetched)
  referenceRow('new Replayer → first frame', (r) => r.firstFrame)
  referenceRow('  by constructed', (r) => r.constructed)
  referenceRow('  by fullsnapshot-rebuilded', (r) => r.rebuilt)
  row('seek to the end, cold (right after opening)', coldSeeksToEnd)
  referenceRow('pause(end) → two frames later', (r) => r.seekToEnd)
  if (referenceConsoleMessages.length > 0) {
    const first = referenceConsoleMessages[0]?.slice(0, 120)
    console.log(`  (plain rrweb logged ${referenceConsoleMessages.length} console messages in ${BROWSERS} runs, the first: ${first})`)
  }
  row('seek back to the start', seeksBack)
  row('seek anywhere, cold (seek-bar clicks)', coldSeeks)
  console.log('  where the cold seeks\' time goes: ms after the click when each mark was last set (seeks that set it)')
  for (const [name, samples] of seekPhases) row(`    ${name.replace('tapedeck:', '')}`, samples)
  if (!PLAYER_WARM) return
  row('background keyframe index built after', indexTimes)
  row('seek anywhere, warm (seek-bar clicks)', warmSeeks)
  row('seek to the end, warm', warmSeeksToEnd)
}

/** Starts `tapedeck serve` on the bench cache in its own process, as a user would, and resolves with its URL. */
async function startServe(dataDir: string): Promise<{ url: string; stop: () => void }> {
  const cli = join(import.meta.dirname, '..', 'bin', 'tapedeck')
  const child = spawn(process.execPath, [cli, 'serve', '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const match = /^Tapedeck at (\S+)$/.exec(line)
      if (match) resolve(match[1] as string)
      else reject(new Error(`unexpected output from tapedeck serve: ${line}`))
    })
    child.once('exit', (code) => reject(new Error(`tapedeck serve exited with ${code}`)))
  })
  return { url, stop: () => child.kill('SIGTERM') }
}

async function main(): Promise<void> {
  const dataDir = join(ROOT, `cache-${TARGET_RECORDINGS}-${PAGE}`)
  await ensureCache(dataDir)
  // The generated export is kept next to the caches; made again (the same, it is seeded) if it was deleted.
  if (!existsSync(LONG_FILE)) await writeLongRecording(LONG_FILE, { id: LONG_ID, page: PAGE })
  await ensureRendererBuilt({ log: (line) => console.log(line) })
  const context = openAppContext({ dataDir, shell: 'cli' })
  const api = createApi(context)
  const detail = await api['recordings:get'](LONG_ID as never)
  console.log(
    `cache: ${(await api['app:get-totals']()).recordings} recordings; 1-hour recording (page: ${PAGE}): ${detail?.summary.eventCount} events, ` +
      `${detail?.chunks.length} chunks (${detail?.chunks.filter((c) => c.hasFullSnapshot).length} with a full snapshot)`
  )
  const serve = await startServe(dataDir)
  try {
    const url = new URL(serve.url)
    if (!PLAYER_ONLY) await benchContract(context, url.origin, url.searchParams.get('token') ?? '')
    if (process.env.BENCH_LIST_ONLY !== '1') await benchBrowser(serve.url, loadReference())
  } finally {
    serve.stop()
    closeAppContext(context)
  }
}

await main()
