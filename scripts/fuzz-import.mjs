#!/usr/bin/env node
// `npm run reliability:fuzz [-- --cases N --seed N --keep]`: the long malformed-input test of issue 7.
// Mutates real exports from test/fixtures (truncation, byte flips, wrong types, huge strings, deep nesting, empty,
// binary, UTF-16 and latin1 text, gzip variants and gzip bombs) and imports each into a cache holding the
// unmutated seeds, in a child process bounded in time. Prints the figures for RELIABILITY.md; exits 1 when any case
// crashed, hung, failed without a named reason, or changed what was imported before. Failing files are kept in the
// work folder's failures/ (the folder is kept when anything failed, or with --keep).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { register } from 'tsx/esm/api'

const root = fileURLToPath(new URL('..', import.meta.url))
register({ tsconfig: join(root, 'tsconfig.node.json') })
const { runFuzz } = await import('../src-main/reliability/fuzz-runner.ts')

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '3000' },
    seed: { type: 'string', default: String(Date.now() % 1000000) },
    keep: { type: 'boolean', default: false }
  }
})
const cases = Number(values.cases)
const seed = Number(values.seed)
const work = mkdtempSync(join(tmpdir(), 'tapedeck-fuzz-'))
console.log(`fuzz: seed ${seed}, ${cases} cases, work folder ${work}`)
const report = await runFuzz({
  cases,
  seed,
  workDir: work,
  fixturesDir: join(root, 'test', 'fixtures'),
  hugeStringBytes: 24 * 1024 * 1024,
  deepNesting: 200_000,
  bombs: [
    { kind: 'string', inflatedBytes: 2 * 1024 ** 3 },
    { kind: 'records', inflatedBytes: 256 * 1024 ** 2 }
  ],
  caseTimeoutMs: 300_000,
  log: (line) => console.log(`  ${line}`)
})

const pad = (text, width) => String(text).padEnd(width)
console.log('')
console.log(
  `${pad('mutation', 18)} ${pad('cases', 6)} ${pad('failed', 7)} ${pad('imported', 9)} unchanged`
)
for (const [name, s] of Object.entries(report.byMutation).sort((a, b) => b[1].cases - a[1].cases)) {
  console.log(
    `${pad(name, 18)} ${pad(s.cases, 6)} ${pad(s.failed, 7)} ${pad(s.imported, 9)} ${s.unchanged}`
  )
}
const reasons = Object.entries(report.reasons).sort((a, b) => b[1] - a[1])
console.log(`\n${reasons.length} kinds of failure reason; the most common:`)
for (const [reason, count] of reasons.slice(0, 12)) console.log(`  ${pad(count, 5)} ${reason}`)
console.log('')
console.log(
  `cases:          ${report.cases} in ${(report.elapsedMs / 1000).toFixed(0)} s (${(report.elapsedMs / report.cases).toFixed(0)} ms per case)`
)
console.log(`slowest case:   ${(report.slowestMs / 1000).toFixed(2)} s, ${report.slowestCase}`)
console.log(`largest RSS:    ${(report.maxRssBytes / 1048576).toFixed(0)} MB (the import process)`)
console.log(`restarts:       ${report.restarts} (after a hang or a crash)`)
console.log(`problems:       ${report.problems.length}`)
for (const problem of report.problems) console.log(`  ${problem}`)
if (report.problems.length === 0 && !values.keep) rmSync(work, { recursive: true, force: true })
process.exitCode = report.problems.length === 0 ? 0 : 1
