import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** A real export the fuzzer starts from. */
export type FuzzSeed = { name: string; bytes: Buffer; kind: 'json' | 'jsonl' | 'csv' }

/** One malformed file: what to write, and a file name ending that does not give its content away. */
export type FuzzCase = { mutation: string; seed: string; bytes: Buffer; extension: string }

export type MutationOptions = {
  /** Length of the strings the `huge-string` mutation writes. */
  hugeStringBytes: number
  /** Nesting depth of the `deep-nesting` mutation. */
  deepNesting: number
  /** Gzip bomb files (see `writeGzipBomb`), shared by the `gzip-bomb` cases. */
  bombFiles: string[]
}

const MAX_JSON_SEED_NODES = 200_000

/**
 * The seeds: small real exports of every kind from test/fixtures (recordings in every export shape, analytics
 * events as JSON Lines, API JSON and CSV, persons), so every parser is fuzzed. Large fixtures are cut to their first
 * records (at record boundaries) to keep each case fast.
 */
export function loadFuzzSeeds(fixturesDir: string): FuzzSeed[] {
  const acme = join(fixturesDir, 'acme-small')
  const samples = join(fixturesDir, 'samples')
  const read = (path: string) => readFileSync(path)
  const firstLines = (path: string, count: number) =>
    Buffer.from(`${read(path).toString('utf8').split('\n').slice(0, count).join('\n')}\n`)
  const seeds: FuzzSeed[] = [
    {
      name: 'acme-v2-export.json',
      bytes: read(join(acme, 'recordings', '01a13484-8534-7c1d-9d8d-d9cfc50a8d47.json')),
      kind: 'json'
    },
    {
      name: 'acme-v2-export-b.json',
      bytes: read(join(acme, 'recordings', '01a15930-adee-7764-ab85-103972996f23.json')),
      kind: 'json'
    },
    {
      name: 'acme-cv-2024-10.json',
      bytes: read(
        join(acme, 'recordings-variants', '01a16329-a5db-7c38-8220-3b794d6049a8.cv-2024-10.json')
      ),
      kind: 'json'
    },
    {
      name: 'acme-v1-export.json',
      bytes: read(
        join(acme, 'recordings-variants', '01a16329-a5db-7c38-8220-3b794d6049a8.v2022-12-02.json')
      ),
      kind: 'json'
    },
    { name: 'acme-events.jsonl', bytes: firstLines(join(acme, 'events.jsonl'), 60), kind: 'jsonl' },
    { name: 'acme-persons.jsonl', bytes: read(join(acme, 'persons.jsonl')), kind: 'jsonl' },
    {
      name: 'acme-events.csv',
      bytes: csvHead(read(join(acme, 'events.csv')).toString('utf8'), 60),
      kind: 'csv'
    },
    {
      name: 'posthog-blob.jsonl',
      bytes: read(
        join(
          samples,
          'PostHog__posthog__frontend__src__scenes__session-recordings__mocks__recording_snapshots.jsonl'
        )
      ),
      kind: 'jsonl'
    },
    {
      name: 'rrweb-array.json',
      bytes: read(join(samples, 'rrweb-io__rrweb__packages__rrweb-player__public__events.json')),
      kind: 'json'
    },
    {
      name: 'api-events.json',
      bytes: read(
        join(
          samples,
          'kitadmin01__analytickit__cypress__fixtures__api__event__single_person_events.json'
        )
      ),
      kind: 'json'
    },
    {
      name: 'api-persons.json',
      bytes: read(
        join(samples, 'kitadmin01__analytickit__cypress__fixtures__api__person__persons.json')
      ),
      kind: 'json'
    },
    {
      name: 'exception-list.json',
      bytes: read(
        join(samples, 'PostHog__posthog__rust__cymbal__tests__static__raw_ch_exception_list.json')
      ),
      kind: 'json'
    }
  ]
  return seeds
}

/** The first `count` records of a CSV text (quoted fields may span lines), header included. */
function csvHead(text: string, count: number): Buffer {
  let records = 0
  let inQuotes = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') inQuotes = !inQuotes
    else if (c === '\n' && !inQuotes && ++records > count) return Buffer.from(text.slice(0, i + 1))
  }
  return Buffer.from(text)
}

type Mutation = {
  name: string
  weight: number
  apply: (
    seed: FuzzSeed,
    random: () => number,
    options: MutationOptions
  ) => { bytes: Buffer; extension?: string } | null
}

const int = (random: () => number, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1))

/** Every mutation, with how often it is picked. */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'truncate',
    weight: 6,
    apply: (seed, random) => ({
      bytes: seed.bytes.subarray(0, int(random, 1, seed.bytes.length - 1))
    })
  },
  {
    name: 'byte-flips',
    weight: 6,
    apply: (seed, random) => {
      const bytes = Buffer.from(seed.bytes)
      const flips = int(random, 1, 24)
      for (let i = 0; i < flips; i++) {
        const at = int(random, 0, bytes.length - 1)
        bytes[at] = (bytes[at] as number) ^ int(random, 1, 255)
      }
      return { bytes }
    }
  },
  {
    name: 'structural-bytes',
    weight: 4,
    apply: (seed, random) => {
      // Quotes, brackets, commas, backslashes and newlines dropped in or removed: the bytes parsers trip on.
      const bytes = [...seed.bytes]
      const edits = int(random, 1, 8)
      const specials = [0x22, 0x5b, 0x5d, 0x7b, 0x7d, 0x2c, 0x3a, 0x5c, 0x0a, 0x0d, 0x00]
      for (let i = 0; i < edits; i++) {
        const at = int(random, 0, bytes.length - 1)
        if (random() < 0.5) bytes.splice(at, 1)
        else bytes.splice(at, 0, specials[int(random, 0, specials.length - 1)] as number)
      }
      return { bytes: Buffer.from(bytes) }
    }
  },
  {
    name: 'wrong-type',
    weight: 8,
    apply: (seed, random) => mutateJsonValues(seed, random, (value) => wrongTypeFor(value, random))
  },
  {
    name: 'huge-string',
    weight: 2,
    apply: (seed, random, options) =>
      mutateJsonValues(seed, random, (value) =>
        typeof value === 'string' || random() < 0.3
          ? hugeString(options.hugeStringBytes, random)
          : undefined
      )
  },
  {
    name: 'deep-nesting',
    weight: 2,
    apply: (seed, random, options) => {
      const depth = int(random, Math.floor(options.deepNesting / 10), options.deepNesting)
      const nested =
        random() < 0.5
          ? '['.repeat(depth) + ']'.repeat(depth)
          : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
      if (random() < 0.3) return { bytes: Buffer.from(nested) }
      return mutateJsonValues(seed, random, () => RAW_MARKER, nested)
    }
  },
  {
    name: 'empty',
    weight: 1,
    apply: () => ({ bytes: Buffer.alloc(0) })
  },
  {
    name: 'whitespace-only',
    weight: 1,
    apply: (_seed, random) => ({ bytes: Buffer.from(' \n\t\r'.repeat(int(random, 1, 5000))) })
  },
  {
    name: 'binary',
    weight: 3,
    apply: (_seed, random) => {
      const bytes = Buffer.alloc(int(random, 1, 65536))
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256)
      // Half of them open like JSON, so they get past the first look.
      if (random() < 0.5) bytes[0] = random() < 0.5 ? 0x7b : 0x5b
      return { bytes }
    }
  },
  {
    name: 'utf16',
    weight: 2,
    apply: (seed, random) => {
      const le = Buffer.from(seed.bytes.toString('utf8'), 'utf16le')
      const variant = int(random, 0, 2)
      if (variant === 0) return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]) }
      if (variant === 1) return { bytes: le } // no BOM
      return { bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]) }
    }
  },
  {
    name: 'latin1',
    weight: 2,
    apply: (seed, random) => {
      // Accented text written as latin1: bytes that are not valid UTF-8.
      let text = seed.bytes.toString('utf8')
      const at = text.indexOf('"', int(random, 0, Math.max(0, text.length - 1)))
      if (at >= 0)
        text = `${text.slice(0, at + 1)}Crème brûlée — naïve façade ${text.slice(at + 1)}`
      return { bytes: Buffer.from(text, 'latin1') }
    }
  },
  {
    name: 'gzip',
    weight: 1,
    apply: (seed) => ({ bytes: gzipSync(seed.bytes), extension: '.gz' })
  },
  {
    name: 'gzip-truncated',
    weight: 3,
    apply: (seed, random) => {
      const gz = gzipSync(seed.bytes)
      return {
        bytes: gz.subarray(0, int(random, 2, gz.length - 1)),
        extension: random() < 0.5 ? '.gz' : ''
      }
    }
  },
  {
    name: 'gzip-byte-flips',
    weight: 2,
    apply: (seed, random) => {
      const gz = Buffer.from(gzipSync(seed.bytes))
      for (let i = 0, n = int(random, 1, 6); i < n; i++) {
        const at = int(random, 2, gz.length - 1)
        gz[at] = (gz[at] as number) ^ int(random, 1, 255)
      }
      return { bytes: gz, extension: '.gz' }
    }
  },
  {
    name: 'gzip-bomb',
    weight: 0.3,
    apply: (_seed, random, options) => {
      const file = options.bombFiles[Math.floor(random() * options.bombFiles.length)]
      return file === undefined
        ? null
        : { bytes: readFileSync(file), extension: random() < 0.5 ? '.gz' : '.json' }
    }
  }
]

const RAW_MARKER = '\u0000raw-marker\u0000'

/**
 * Replaces one value (or, for JSON Lines, one value of a few lines) found by a random walk of the parsed document
 * with what `replace` returns; `undefined` keeps looking. `raw` is spliced in verbatim where `replace` returned
 * RAW_MARKER (used for nesting deeper than JSON.stringify could write). CSV seeds get a cell replaced instead.
 */
function mutateJsonValues(
  seed: FuzzSeed,
  random: () => number,
  replace: (value: unknown) => unknown,
  raw?: string
): { bytes: Buffer } | null {
  if (seed.kind === 'csv') {
    const lines = seed.bytes.toString('utf8').split('\n')
    const index = int(random, 1, Math.max(1, lines.length - 2))
    const cells = (lines[index] ?? '').split(',')
    const replacement = replace('cell')
    const cell =
      replacement === RAW_MARKER
        ? (raw ?? '')
        : typeof replacement === 'string'
          ? `"${replacement.replace(/"/g, '""')}"`
          : JSON.stringify(replacement ?? null)
    cells[int(random, 0, cells.length - 1)] = cell
    lines[index] = cells.join(',')
    return { bytes: Buffer.from(lines.join('\n')) }
  }
  const text = seed.bytes.toString('utf8')
  const documents = seed.kind === 'jsonl' ? text.split('\n') : [text]
  const targets = seed.kind === 'jsonl' ? int(random, 1, 3) : 1
  for (let t = 0; t < targets; t++) {
    const index = int(random, 0, documents.length - 1)
    if ((documents[index] ?? '').trim() === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(documents[index] as string)
    } catch {
      return null
    }
    const mutated = replaceRandomValue(parsed, random, replace)
    let out: string
    try {
      out = JSON.stringify(mutated)
    } catch {
      return null // a line an earlier round of this case nested too deeply to write again
    }
    if (raw !== undefined) out = out.replace(JSON.stringify(RAW_MARKER), raw)
    documents[index] = out
  }
  return { bytes: Buffer.from(documents.join('\n')) }
}

/** Walks to a random node of `root` and replaces it; returns the (possibly new) root. */
function replaceRandomValue(
  root: unknown,
  random: () => number,
  replace: (value: unknown) => unknown
): unknown {
  // Collect nodes breadth-first (bounded), then pick one, favouring deeper ones a little.
  const nodes: {
    parent: Record<string, unknown> | unknown[] | null
    key: string | number
    value: unknown
  }[] = [{ parent: null, key: 0, value: root }]
  for (let i = 0; i < nodes.length && nodes.length < MAX_JSON_SEED_NODES; i++) {
    const value = (nodes[i] as { value: unknown }).value
    if (Array.isArray(value))
      value.forEach((child, key) => nodes.push({ parent: value, key, value: child }))
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value))
        nodes.push({ parent: value as Record<string, unknown>, key, value: child })
    }
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const node = nodes[Math.floor(Math.sqrt(random()) * nodes.length)] ?? nodes[0]
    if (!node) return root
    const replacement = replace(node.value)
    if (replacement === undefined) continue
    if (node.parent === null) return replacement
    ;(node.parent as Record<string | number, unknown>)[node.key] = replacement
    return root
  }
  return root
}

function wrongTypeFor(value: unknown, random: () => number): unknown {
  const choices: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    'not a number',
    '2026-13-45T99:99:99Z',
    [],
    [null],
    {},
    { type: 'wrong' }
  ]
  const sameType = (candidate: unknown) =>
    typeof candidate === typeof value &&
    Array.isArray(candidate) === Array.isArray(value) &&
    (candidate === null) === (value === null)
  const different = choices.filter((candidate) => !sameType(candidate))
  return different[Math.floor(random() * different.length)]
}

function hugeString(bytes: number, random: () => number): string {
  const unit = ['x', 'é', '\\', '"', '\u2028', '\ud83d\ude00'][Math.floor(random() * 6)] as string
  return unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))))
}

/** Picks a mutation by weight and applies it to a random seed; retries until one applies. */
export function makeFuzzCase(
  seeds: readonly FuzzSeed[],
  random: () => number,
  options: MutationOptions
): FuzzCase {
  const total = MUTATIONS.reduce((sum, m) => sum + m.weight, 0)
  for (;;) {
    let pick = random() * total
    const mutation = MUTATIONS.find((m) => (pick -= m.weight) < 0) ?? (MUTATIONS[0] as Mutation)
    const seed = seeds[Math.floor(random() * seeds.length)] as FuzzSeed
    const result = mutation.apply(seed, random, options)
    if (result === null) continue
    // Names that do not give the content away half the time: detection is by content.
    const extension = result.extension ?? (random() < 0.5 ? extensionOf(seed.name) : '.txt')
    return { mutation: mutation.name, seed: seed.name, bytes: result.bytes, extension }
  }
}

function extensionOf(name: string): string {
  const match = /\.[a-z]+$/.exec(basename(name))
  return match ? match[0] : '.json'
}

/**
 * Writes (once) a gzip bomb: many gzip members, each about 64 KB of zlib-9 output that inflates to 64 MB, adding up
 * to `inflatedBytes`. `string`: a recording export whose one string value never ends, so the importer keeps
 * reading plausible JSON until a limit stops it; `records`: the same analytics event line over and over, so every
 * record is parsed and stored until the limit.
 */
export function writeGzipBomb(
  file: string,
  inflatedBytes: number,
  kind: 'string' | 'records' = 'string'
): string {
  if (existsSync(file)) return file
  const memberBytes = 64 * 1024 * 1024
  let head: Buffer
  let fill: Buffer
  if (kind === 'string') {
    head = Buffer.from(
      '{"version":"2023-04-28","data":{"id":"bomb","snapshots":[{"type":4,"timestamp":1,"data":{"href":"'
    )
    fill = Buffer.alloc(memberBytes, 0x61)
  } else {
    const line = `${JSON.stringify({ uuid: '0190bbbb-0000-7000-8000-000000000001', event: '$pageview', distinct_id: 'bomb', timestamp: '2026-10-01T00:00:00Z', properties: { $session_id: 'bomb' } })}\n`
    head = Buffer.from(line)
    fill = Buffer.from(line.repeat(Math.floor(memberBytes / line.length)))
  }
  const member = gzipSync(fill, { level: 9 })
  const members = [
    gzipSync(head),
    ...Array.from({ length: Math.max(1, Math.ceil(inflatedBytes / fill.length)) }, () => member)
  ]
  writeFileSync(file, Buffer.concat(members))
  return file
}
