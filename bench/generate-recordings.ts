import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { createRandom } from './generate-long-recording'

/**
 * Writes synthetic PostHog V2 exports shaped like real ones: a Meta + full snapshot of a few thousand nodes per
 * page load, then many small incremental events (mouse moves, clicks, scrolls, inputs, text and attribute mutations,
 * console and network plugin events). Deterministic for a given seed.
 */
export type GenerateOptions = {
  dir: string
  totalBytes: number
  /** Approximate size of one recording file. */
  recordingBytes?: number
  /** Pretty-print like PostHog's UI download (3× larger files). */
  pretty?: boolean
  seed?: number
}

function uuidFrom(random: () => number): string {
  const hex = () => Math.floor(random() * 16).toString(16)
  const part = (n: number) => Array.from({ length: n }, hex).join('')
  return `${part(8)}-${part(4)}-7${part(3)}-8${part(3)}-${part(12)}`
}

type Node = Record<string, unknown>

function buildDom(random: () => number, nodeCount: number): { root: Node; maxId: number } {
  let id = 1
  const words = ['Acme', 'mug', 'lamp', 'cart', 'checkout', 'stoneware', 'notebook', 'price', 'add', 'shipping']
  const text = () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => words[Math.floor(random() * words.length)]).join(' ')
  const body: Node = { type: 2, tagName: 'body', attributes: {}, childNodes: [], id: 0 }
  const root: Node = {
    type: 0,
    id: id++,
    childNodes: [
      { type: 1, name: 'html', publicId: '', systemId: '', id: id++ },
      {
        type: 2,
        tagName: 'html',
        attributes: { lang: 'en' },
        id: id++,
        childNodes: [
          {
            type: 2,
            tagName: 'head',
            attributes: {},
            id: id++,
            childNodes: [
              {
                type: 2,
                tagName: 'style',
                attributes: { _cssText: '.card{display:flex;padding:8px}.btn{background:#335;color:#fff}'.repeat(20) },
                childNodes: [],
                id: id++
              }
            ]
          },
          body
        ]
      }
    ]
  }
  body.id = id++
  const containers: Node[] = [body]
  while (id < nodeCount) {
    const parent = containers[Math.floor(random() * containers.length)]
    const tag = ['div', 'span', 'a', 'img', 'p', 'li', 'button'][Math.floor(random() * 7)]
    const element: Node = {
      type: 2,
      tagName: tag,
      attributes: tag === 'img' ? { src: `https://shop.example.test/img/${Math.floor(random() * 300)}.jpg`, alt: text() } : { class: `c${id % 50} card` },
      childNodes: [],
      id: id++
    }
    ;(parent.childNodes as Node[]).push(element)
    if (tag === 'div' || tag === 'li') containers.push(element)
    if (random() < 0.6) (element.childNodes as Node[]).push({ type: 3, textContent: text(), id: id++ })
  }
  return { root, maxId: id }
}

/** Generates exports until `totalBytes` are written; returns the files and the number of rrweb events. */
export async function generateRecordings(options: GenerateOptions): Promise<{ files: string[]; events: number; bytes: number }> {
  mkdirSync(options.dir, { recursive: true })
  const random = createRandom(options.seed ?? 42)
  const recordingBytes = options.recordingBytes ?? 2 * 1024 * 1024
  const files: string[] = []
  let written = 0
  let events = 0
  let start = Date.UTC(2026, 9, 1)
  while (written < options.totalBytes) {
    const sessionId = uuidFrom(random)
    const windowId = uuidFrom(random)
    const file = join(options.dir, `export-${sessionId}-ph-recording.json`)
    const out = createWriteStream(file)
    let bytes = 0
    const write = async (text: string) => {
      bytes += Buffer.byteLength(text)
      if (!out.write(text)) await once(out, 'drain')
    }
    const indent = options.pretty ? 2 : undefined
    await write(`{"version":"2023-04-28","data":{"id":"${sessionId}","person":${JSON.stringify({ uuid: uuidFrom(random), distinct_ids: [uuidFrom(random)], properties: { email: `user${files.length}@example.test` } })},"snapshots":[`)
    let ts = start
    let first = true
    let target = recordingBytes * (0.5 + random())
    let maxId = 0
    const emit = async (event: object) => {
      await write((first ? '' : ',') + JSON.stringify({ windowId, ...event }, null, indent))
      first = false
      events++
    }
    while (bytes < target) {
      await emit({ type: 4, timestamp: ts, data: { href: `https://shop.example.test/p/${Math.floor(random() * 100)}`, width: 1440, height: 900 } })
      const dom = buildDom(random, 2000 + Math.floor(random() * 3000))
      maxId = dom.maxId
      await emit({ type: 2, timestamp: ts + 5, data: { node: dom.root, initialOffset: { top: 0, left: 0 } } })
      const pageEvents = 500 + Math.floor(random() * 1500)
      for (let i = 0; i < pageEvents && bytes < target; i++) {
        ts += Math.floor(random() * 400)
        const r = random()
        const node = 1 + Math.floor(random() * maxId)
        if (r < 0.45) {
          await emit({ type: 3, timestamp: ts, data: { source: 1, positions: [{ x: Math.floor(random() * 1440), y: Math.floor(random() * 900), id: node, timeOffset: -Math.floor(random() * 200) }] } })
        } else if (r < 0.55) {
          await emit({ type: 3, timestamp: ts, data: { source: 2, type: random() < 0.5 ? 2 : 1, id: node, x: 10, y: 20, pointerType: 0 } })
        } else if (r < 0.65) {
          await emit({ type: 3, timestamp: ts, data: { source: 3, id: 1, x: 0, y: Math.floor(random() * 4000) } })
        } else if (r < 0.72) {
          await emit({ type: 3, timestamp: ts, data: { source: 5, text: '***', isChecked: false, id: node } })
        } else if (r < 0.95) {
          await emit({ type: 3, timestamp: ts, data: { source: 0, texts: [{ id: node, value: `Total ${Math.floor(random() * 1000)}` }], attributes: [{ id: node, attributes: { class: `c${Math.floor(random() * 50)} card active` } }], removes: [], adds: [{ parentId: node, nextId: null, node: { type: 2, tagName: 'span', attributes: {}, childNodes: [], id: maxId++ } }] } })
        } else if (r < 0.98) {
          await emit({ type: 6, timestamp: ts, data: { plugin: 'rrweb/console@1', payload: { level: random() < 0.3 ? 'error' : 'log', payload: ['"recommendations failed"', '502'], trace: ['fetchRecs@https://shop.example.test/app.js:10:5'] } } })
        } else {
          await emit({ type: 6, timestamp: ts, data: { plugin: 'rrweb/network@1', payload: { requests: [{ name: 'https://shop.example.test/api/cart', method: 'GET', responseStatus: 200, duration: 120, initiatorType: 'fetch', entryType: 'resource', startTime: 1, endTime: 121, timestamp: ts }] } } })
        }
      }
      ts += 2000
    }
    await write(']}}\n')
    out.end()
    await once(out, 'finish')
    files.push(file)
    written += bytes
    start = ts + 60_000
    target = 0
  }
  return { files, events, bytes: written }
}
