import Database from 'better-sqlite3'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { createEventColumnsWriter, eventColumnValues } from '../src-main/db/event-columns'
import { migrate } from '../src-main/db/migrate'
import type { WritableDb } from '../src-main/db/types'

/** Bump when the generated data changes, so a cached database from an older generator is rebuilt. */
export const GENERATOR_VERSION = 4

export type GenerateOptions = {
  file: string
  events: number
  persons: number
  days: number
  seed: number
  log?: (line: string) => void
}

export type GeneratedInfo = {
  events: number
  persons: number
  sessions: number
  reused: boolean
  seconds: number
}

/**
 * Builds (or reuses) a synthetic PostHog-like cache for the analytics benchmark.
 *
 * Each person has one or two devices and a few sessions spread over `days`; a session walks the shop
 * (home → product → cart → checkout → purchase) with falling probabilities, so funnels have every kind of drop-off.
 * Rows are written roughly in time order (as exports are), person_key is filled the way the importer's relink does,
 * and the indexes are built after the bulk load. The file is reused when its settings row matches.
 */
export function generateAnalyticsData(options: GenerateOptions): GeneratedInfo {
  const startedAt = performance.now()
  const signature = JSON.stringify({
    v: GENERATOR_VERSION,
    e: options.events,
    p: options.persons,
    d: options.days,
    s: options.seed
  })
  if (existsSync(options.file)) {
    const db = new Database(options.file, { readonly: true })
    try {
      const row = db.prepare(`SELECT value FROM settings WHERE key = 'bench.signature'`).get() as
        { value: string } | undefined
      if (row?.value === signature) {
        const sessions = db
          .prepare(`SELECT value FROM settings WHERE key = 'bench.sessions'`)
          .get() as { value: string }
        return {
          events: options.events,
          persons: options.persons,
          sessions: Number(sessions.value),
          reused: true,
          seconds: 0
        }
      }
    } catch {
      // An unreadable or foreign file is rebuilt below.
    } finally {
      db.close()
    }
  }
  mkdirSync(dirname(options.file), { recursive: true })
  const tempFile = `${options.file}.building`
  rmSync(tempFile, { force: true })
  const db = new Database(tempFile) as WritableDb
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  migrate(db)
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('events', 'persons', 'person_distinct_ids', 'exceptions') AND sql IS NOT NULL`
    )
    .all() as { name: string; sql: string }[]
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`)

  const sessions = writeRows(db, options)
  const log = options.log ?? (() => undefined)
  log(`  building ${indexes.length} indexes…`)
  for (const index of indexes) db.exec(index.sql)
  db.exec(`ANALYZE`)
  const insertSetting = db.prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)`)
  insertSetting.run('bench.signature', signature)
  insertSetting.run('bench.sessions', String(sessions))
  db.close()
  rmSync(options.file, { force: true })
  renameSync(tempFile, options.file)
  return {
    events: options.events,
    persons: options.persons,
    sessions,
    reused: false,
    seconds: (performance.now() - startedAt) / 1000
  }
}

type PersonPlan = {
  uuid: string
  anonIds: string[]
  email: string | null
  devices: Device[]
  budget: number
}
type Device = { id: string; type: string; browser: string; os: string }
type SessionPlan = { person: number; device: number; startMs: number }

const DEVICES: Omit<Device, 'id'>[] = [
  { type: 'Desktop', browser: 'Chrome', os: 'Windows' },
  { type: 'Desktop', browser: 'Firefox', os: 'Windows' },
  { type: 'Desktop', browser: 'Safari', os: 'Mac OS X' },
  { type: 'Mobile', browser: 'Mobile Safari', os: 'iOS' },
  { type: 'Mobile', browser: 'Chrome', os: 'Android' }
]
const PRODUCTS = [
  'stoneware-mug-set',
  'crossbody-sling',
  'drift-floor-lamp',
  'dot-grid-notebook',
  'aurora-table-lamp',
  'linen-throw',
  'oak-desk-tray',
  'wool-beanie'
]
const FIRST_NAMES = [
  'ada',
  'oscar',
  'kai',
  'sara',
  'clara',
  'yuki',
  'tomas',
  'elif',
  'isabella',
  'ezra'
]
const LAST_NAMES = ['smith', 'brown', 'costa', 'novak', 'dubois', 'johnson', 'andersen']

function writeRows(db: WritableDb, options: GenerateOptions): number {
  const random = mulberry32(options.seed)
  const startMs = Date.UTC(2026, 0, 1)
  const spanMs = options.days * 86_400_000
  const persons: PersonPlan[] = []
  let budgetLeft = options.events
  for (let p = 0; p < options.persons; p++) {
    const remainingPersons = options.persons - p
    const mean = budgetLeft / remainingPersons
    const budget =
      p === options.persons - 1
        ? budgetLeft
        : Math.max(1, Math.round(mean * (0.4 + random() * 1.2)))
    budgetLeft -= budget
    const deviceCount = random() < 0.08 ? 2 : 1
    const devices: Device[] = []
    for (let d = 0; d < deviceCount; d++) {
      devices.push({ id: uuidFrom(random), ...DEVICES[Math.floor(random() * DEVICES.length)] })
    }
    const identified = random() < 0.35
    const email = identified
      ? `${pick(random, FIRST_NAMES)}.${pick(random, LAST_NAMES)}${p}@example.org`
      : null
    persons.push({
      uuid: uuidFrom(random),
      anonIds: devices.map((d) => d.id),
      email,
      devices,
      budget
    })
  }

  const insertPerson = db.prepare(
    `INSERT INTO persons (id, name, email, is_identified, has_profile, created_at_ms, properties) VALUES (?, ?, ?, 1, 1, ?, ?)`
  )
  const insertDistinctId = db.prepare(
    `INSERT OR IGNORE INTO person_distinct_ids (distinct_id, person_id) VALUES (?, ?)`
  )
  db.transaction(() => {
    for (const person of persons) {
      if (person.email === null) continue
      const name = person.email.split('@')[0].replace('.', ' ')
      insertPerson.run(
        person.uuid,
        name,
        person.email,
        startMs,
        JSON.stringify({ email: person.email, name, plan: 'free' })
      )
      insertDistinctId.run(person.email, person.uuid)
      for (const anonId of person.anonIds) insertDistinctId.run(anonId, person.uuid)
    }
  })()

  // Plan sessions: about 10 events each, at random times; then write them in start order.
  const plans: SessionPlan[] = []
  const sessionBudgets: number[] = []
  for (let p = 0; p < persons.length; p++) {
    let left = persons[p].budget
    while (left > 0) {
      const size = Math.min(left, 3 + Math.floor(random() * 15))
      left -= size
      plans.push({
        person: p,
        device: Math.floor(random() * persons[p].devices.length),
        startMs: startMs + Math.floor(random() * spanMs)
      })
      sessionBudgets.push(size)
    }
  }
  const order = Array.from(plans.keys()).sort((a, b) => plans[a].startMs - plans[b].startMs)

  const insertEvent = db.prepare(
    `INSERT INTO events (uuid, event, distinct_id, person_id, person_key, session_id, window_id, timestamp_ms, url, properties)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const writeColumns = createEventColumnsWriter(db)
  const insertException = db.prepare(
    `INSERT INTO exceptions (session_id, window_id, timestamp_ms, type, message, source, event_uuid, fingerprint, issue_id)
     VALUES (?, ?, ?, ?, ?, 'event', ?, ?, ?)`
  )
  const log = options.log ?? (() => undefined)
  let written = 0
  let batch = 0
  db.exec('BEGIN')
  for (const index of order) {
    const plan = plans[index]
    const person = persons[plan.person]
    const device = person.devices[plan.device]
    const sessionId = uuidFrom(random)
    const windowId = uuidFrom(random)
    const identifiedNow = person.email !== null && random() < 0.6
    const distinctId = identifiedNow && person.email !== null ? person.email : device.id
    let t = plan.startMs
    let path = '/'
    // How far this visit walks the shop: home 75%, product 55%, cart 22%, checkout 11%, purchase 5% of sessions.
    const size = sessionBudgets[index]
    const roll = random()
    const depth = Math.min(
      size,
      roll < 0.05 ? 5 : roll < 0.11 ? 4 : roll < 0.22 ? 3 : roll < 0.55 ? 2 : roll < 0.75 ? 1 : 0
    )
    const journeyAt = new Set<number>()
    while (journeyAt.size < depth) journeyAt.add(Math.floor(random() * size))
    const journeySlots = [...journeyAt].sort((a, b) => a - b)
    for (let n = 0; n < size; n++) {
      let event: string
      const stage = journeySlots.indexOf(n)
      if (stage === 0) {
        event = '$pageview'
        path = '/'
      } else if (stage === 1) {
        event = '$pageview'
        path = `/product/${pick(random, PRODUCTS)}`
      } else if (stage >= 2) {
        event = ['added_to_cart', 'checkout_started', 'purchase_completed'][stage - 2]
        if (stage === 3) path = '/checkout'
      } else {
        const filler = random()
        if (filler < 0.3) event = '$autocapture'
        else if (filler < 0.45) event = '$pageleave'
        else if (filler < 0.7) {
          event = '$pageview'
          path =
            random() < 0.3 ? '/' : random() < 0.5 ? `/product/${pick(random, PRODUCTS)}` : '/search'
        } else if (filler < 0.8) event = 'product_viewed'
        else if (filler < 0.86) event = 'products_searched'
        else if (filler < 0.9) event = 'newsletter_subscribed'
        else if (filler < 0.905) event = '$exception'
        else if (filler < 0.95) event = '$rageclick'
        else event = random() < 0.5 ? 'logged_in' : '$identify'
      }
      t += 500 + Math.floor(random() * (random() < 0.05 ? 3_600_000 : 60_000))
      const url = `https://shop.acme.test${path}`
      const uuid = uuidFrom(random)
      const propertyValues = {
        $os: device.os,
        $browser: device.browser,
        $device_type: device.type,
        $current_url: url,
        $host: 'shop.acme.test',
        $pathname: path,
        $lib: 'web',
        $lib_version: '1.449.2',
        $device_id: device.id,
        $session_id: sessionId,
        $window_id: windowId,
        $screen_width: device.type === 'Mobile' ? 390 : 1440,
        title: path === '/' ? 'Home · Acme Shop' : 'Acme Shop',
        ...(event === 'purchase_completed' ? { revenue: Math.round(random() * 20000) / 100 } : {})
      }
      const properties = JSON.stringify(propertyValues)
      const { lastInsertRowid } = insertEvent.run(
        uuid,
        event,
        distinctId,
        person.uuid,
        person.uuid,
        sessionId,
        windowId,
        t,
        url,
        properties
      )
      writeColumns(lastInsertRowid, eventColumnValues(propertyValues))
      if (event === '$exception') {
        const coupon = random() < 0.3
        insertException.run(
          sessionId,
          windowId,
          t,
          coupon ? 'Error' : 'TypeError',
          coupon
            ? 'Coupon service error (upstream 502)'
            : "Cannot read properties of undefined (reading 'primary')",
          uuid,
          coupon ? 'fp-coupon' : 'fp-primary',
          coupon ? 'issue-coupon' : 'issue-primary'
        )
      }
      written++
      if (++batch === 100_000) {
        db.exec('COMMIT; BEGIN')
        batch = 0
        if (written % 1_000_000 === 0) log(`  ${written / 1_000_000}M events written`)
      }
    }
  }
  db.exec('COMMIT')
  return plans.length
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]
}

function uuidFrom(random: () => number): string {
  const hex = (n: number) =>
    Math.floor(random() * 16 ** n)
      .toString(16)
      .padStart(n, '0')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(6)}${hex(6)}`
}

/** A small seeded PRNG (mulberry32), so every run generates the same data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
