import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FuzzReply, FuzzRequest } from './fuzz-child'
import { mulberry32 } from './crash-harness'
import { loadFuzzSeeds, makeFuzzCase, writeGzipBomb } from './fuzz-mutations'

export type FuzzOptions = {
  cases: number
  seed: number
  /** Scratch folder (created; emptied first). Files of failing cases are kept in `<workDir>/failures`. */
  workDir: string
  /** test/fixtures */
  fixturesDir: string
  hugeStringBytes?: number
  deepNesting?: number
  /** Gzip bombs to throw in now and then (see `writeGzipBomb`); none by default. */
  bombs?: { kind: 'string' | 'records'; inflatedBytes: number }[]
  /** Longest a case may take before it counts as a hang. */
  caseTimeoutMs?: number
  /** Check the whole cache (`checkCache`) after this many cases that left it unchanged (and after every import). */
  checkEvery?: number
  log?: (line: string) => void
}

export type MutationStats = { cases: number; imported: number; unchanged: number; failed: number }

export type FuzzReport = {
  cases: number
  byMutation: Record<string, MutationStats>
  /** Failure reasons, digits folded, with how often each came up. */
  reasons: Record<string, number>
  problems: string[]
  slowestMs: number
  slowestCase: string
  maxRssBytes: number
  restarts: number
  elapsedMs: number
}

const CHILD_ENTRY = new URL('./fuzz-child-entry.mjs', import.meta.url)

/**
 * Feeds `cases` malformed files, made by mutating real exports (fuzz-mutations.ts), to the importer one at a time,
 * in a child process holding a cache with the unmutated seeds. A case passes when the importer answers within the
 * time bound without throwing, a failed file has a reason (never an "internal error"), a failed or unchanged file
 * leaves every data table as it was (fingerprints), and a cache that took a file in is still sound (`checkCache`).
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now()
  const log = options.log ?? (() => undefined)
  const random = mulberry32(options.seed)
  rmSync(options.workDir, { recursive: true, force: true })
  const casesDir = join(options.workDir, 'cases')
  const failuresDir = join(options.workDir, 'failures')
  const dataDir = join(options.workDir, 'data')
  mkdirSync(casesDir, { recursive: true })
  mkdirSync(dataDir, { recursive: true })

  const seeds = loadFuzzSeeds(options.fixturesDir)
  const seedsDir = join(options.workDir, 'seeds')
  mkdirSync(seedsDir, { recursive: true })
  const seedFiles = seeds.map((seed) => {
    const file = join(seedsDir, seed.name)
    writeFileSync(file, seed.bytes)
    return file
  })
  const mutationOptions = {
    hugeStringBytes: options.hugeStringBytes ?? 4 * 1024 * 1024,
    deepNesting: options.deepNesting ?? 20_000,
    bombFiles: (options.bombs ?? []).map((bomb, index) =>
      writeGzipBomb(
        join(options.workDir, `bomb-${index}-${bomb.kind}.gz`),
        bomb.inflatedBytes,
        bomb.kind
      )
    )
  }
  const timeoutMs = options.caseTimeoutMs ?? 30_000
  const checkEvery = options.checkEvery ?? 25

  const problems: string[] = []
  const byMutation: Record<string, MutationStats> = {}
  const reasons: Record<string, number> = {}
  let slowestMs = 0
  let slowestCase = ''
  let maxRssBytes = 0
  let restarts = 0

  let child = startChild()
  const ready = await request(child, { type: 'baseline', dataDir, seedFiles }, 120_000)
  if (ready?.type !== 'ready') throw new Error('the fuzz child did not import the seeds')
  if (ready.seedFailures.length > 0)
    throw new Error(`seeds that did not import:\n${ready.seedFailures.join('\n')}`)

  for (let id = 1; id <= options.cases; id++) {
    const fuzzCase = makeFuzzCase(seeds, random, mutationOptions)
    const label = `case ${id} (${fuzzCase.mutation} of ${fuzzCase.seed}, ${fuzzCase.bytes.length} bytes)`
    const file = join(casesDir, `case-${id}${fuzzCase.extension}`)
    writeFileSync(file, fuzzCase.bytes)
    // One case in eight goes through a worker thread, the path large imports take.
    const workers = random() < 0.125 ? 1 : 0
    const reply = await request(child, { type: 'case', id, file, workers, checkEvery }, timeoutMs)
    const stats = (byMutation[fuzzCase.mutation] ??= {
      cases: 0,
      imported: 0,
      unchanged: 0,
      failed: 0
    })
    stats.cases++
    const keep = (problem: string) => {
      problems.push(`${label}: ${problem}`)
      mkdirSync(failuresDir, { recursive: true })
      writeFileSync(
        join(failuresDir, `case-${id}-${fuzzCase.mutation}${fuzzCase.extension}`),
        fuzzCase.bytes
      )
    }
    if (reply === null || reply.type !== 'result') {
      keep(
        reply === null
          ? `no answer in ${timeoutMs} ms, or the import process died (${describeExit(child)})`
          : 'unexpected reply'
      )
      child.kill('SIGKILL')
      restarts++
      child = startChild()
      await request(child, { type: 'open', dataDir }, 60_000)
    } else {
      if (reply.status === 'threw') keep(`importPaths threw: ${reply.reason}`)
      else stats[reply.status]++
      if (reply.status === 'failed') {
        const reason = reply.reason ?? ''
        if (reason.trim() === '') keep('failed without a reason')
        else if (/^internal error/i.test(reason)) keep(`failed with an internal error: ${reason}`)
        const key = foldReason(reason)
        reasons[key] = (reasons[key] ?? 0) + 1
      }
      if (reply.changed && reply.status !== 'imported')
        keep(`a ${reply.status} file changed the cache`)
      for (const problem of reply.problems) keep(`cache check: ${problem}`)
      if (reply.elapsedMs > slowestMs) {
        slowestMs = reply.elapsedMs
        slowestCase = label
      }
      maxRssBytes = Math.max(maxRssBytes, reply.rssBytes)
    }
    rmSync(file, { force: true })
    if (id % 250 === 0) log(`${id}/${options.cases} cases, ${problems.length} problems`)
  }
  child.kill()
  return {
    cases: options.cases,
    byMutation,
    reasons,
    problems,
    slowestMs,
    slowestCase,
    maxRssBytes,
    restarts,
    elapsedMs: performance.now() - started
  }
}

function startChild(): ChildProcess {
  return fork(CHILD_ENTRY, [], {
    execArgv: [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced'
  })
}

/** Sends one request; resolves with the reply, or null on timeout or if the child exits first. */
function request(
  child: ChildProcess,
  message: FuzzRequest,
  timeoutMs: number
): Promise<FuzzReply | null> {
  return new Promise((resolve) => {
    const done = (reply: FuzzReply | null) => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(reply)
    }
    const onMessage = (reply: FuzzReply) => done(reply)
    const onExit = () => done(null)
    const timer = setTimeout(() => done(null), timeoutMs)
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.send(message)
  })
}

function describeExit(child: ChildProcess): string {
  if (child.exitCode !== null) return `exit code ${child.exitCode}`
  if (child.signalCode !== null) return `signal ${child.signalCode}`
  return 'still running: a hang'
}

/** A reason with its numbers and quoted parts folded, so reasons can be counted by kind. */
export function foldReason(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\([^)]*\)/g, '(…)')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 90)
}
