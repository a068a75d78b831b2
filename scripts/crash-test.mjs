#!/usr/bin/env node
// `npm run reliability:crash [-- --kills N --mb N --seed N --keep]`: the long kill-and-resume test of issue 7.
// Generates a dataset (V2 exports, half of them gzipped, events and persons for them) plus the acme-small fixture,
// imports it once uninterrupted, then SIGKILLs `tapedeck import` at N random points (default 50) in fresh data
// folders, checking the cache after every kill and comparing each resumed import with the uninterrupted one.
// Prints the figures for RELIABILITY.md; exits 1 when any check failed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { register } from 'tsx/esm/api'

const root = fileURLToPath(new URL('..', import.meta.url))
register({ tsconfig: join(root, 'tsconfig.node.json') })
const { writeCrashDataset } = await import('../src-main/reliability/crash-dataset.ts')
const { runCrashTest } = await import('../src-main/reliability/crash-harness.ts')

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    mb: { type: 'string', default: '60' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    keep: { type: 'boolean', default: false }
  }
})
const kills = Number(values.kills)
const seed = Number(values.seed)
const work = mkdtempSync(join(tmpdir(), 'tapedeck-crash-'))
const started = Date.now()
try {
  const dataset = await writeCrashDataset({
    dir: join(work, 'dataset'),
    recordingBytes: Number(values.mb) * 1_000_000,
    bytesPerRecording: 2_000_000,
    seed,
    extraPaths: [join(root, 'test', 'fixtures', 'acme-small')]
  })
  console.log(
    `crash test: seed ${seed}, ${values.mb} MB generated + acme-small, ${kills} kills, work folder ${work}`
  )
  const report = await runCrashTest({
    paths: dataset.paths,
    workDir: join(work, 'runs'),
    kills,
    seed,
    workers: [undefined, 0, 2],
    log: (line) => console.log(`  ${line}`)
  })
  const landed = report.kills
  const mid = landed.filter(
    (k) => k.filesImported > 0 && k.filesImported < report.referenceFiles
  ).length
  const before = landed.filter((k) => k.filesImported === 0).length
  const after = landed.filter((k) => k.filesImported >= report.referenceFiles).length
  console.log('')
  console.log(
    `kills landed:        ${landed.length} (${before} before the first file commit, ${mid} between files, ${after} after the last file: relink)`
  )
  console.log(
    `cycles (resumes):    ${report.cycles}, each compared table by table with the uninterrupted import`
  )
  console.log(
    `dataset:             ${report.referenceFiles} files, ${report.totals.recordings} recordings, ${report.totals.chunks} chunks, ${report.totals.events} events, ${report.totals.persons} persons`
  )
  console.log(
    `uninterrupted import ${(report.referenceMs / 1000).toFixed(1)} s; whole test ${((Date.now() - started) / 1000).toFixed(0)} s`
  )
  console.log(`problems:            ${report.problems.length}`)
  for (const problem of report.problems) console.log(`  ${problem}`)
  process.exitCode = report.problems.length === 0 ? 0 : 1
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true })
}
