/**
 * Generates the long single-page recordings used by `npm run bench:ui` and the keyframe e2e test.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

/** A deterministic xorshift generator. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0 || 1
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
}

export type LongRecordingOptions = {
  /** The recording's (session) id. */
  id: string
  /** Incremental events after the single full snapshot (default 199,000). */
  incrementals?: number
  /** Span of the recording (default 60 minutes). */
  durationMs?: number
  /** Serialized nodes in the full snapshot (default 6,400). */
  nodes?: number
  startMs?: number
  seed?: number
}

/**
 * Writes a PostHog V2 export of one long recording with a single page load: Meta + one full snapshot (about 6.4k
 * nodes by default), then many incrementals (mouse moves, clicks, scrolls, inputs, text/attribute/add/remove
 * mutations, console errors). The shape that makes seeking slow without keyframes. Deterministic for a seed.
 */
export async function writeLongRecording(file: string, options: LongRecordingOptions): Promise<{ events: number; bytes: number }> {
  const random = createRandom(options.seed ?? 7)
  const out = createWriteStream(file)
  let bytes = 0
  let events = 0
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  const start = options.startMs ?? Date.UTC(2026, 9, 20, 9, 0, 0)
  const windowId = 'bench-window-1'
  let first = true
  const emit = async (event: object) => {
    await write((first ? '' : ',') + JSON.stringify({ windowId, ...event }))
    first = false
    events++
  }
  // The page: head with inlined CSS, a body of nested sections, cards, text.
  let id = 1
  const words = [
    'Acme',
    'order',
    'lamp',
    'invoice',
    'checkout',
    'stoneware',
    'total',
    'price',
    'shipping',
    'status'
  ]
  const text = () =>
    Array.from(
      { length: 2 + Math.floor(random() * 6) },
      () => words[Math.floor(random() * words.length)]
    ).join(' ')
  type SerializedNode = {
    type: number
    id: number
    tagName?: string
    attributes?: Record<string, string>
    childNodes?: SerializedNode[]
    textContent?: string
  }
  const textIds: number[] = []
  const elementIds: number[] = []
  const body: SerializedNode = { type: 2, tagName: 'body', attributes: {}, childNodes: [], id: 0 }
  const root: SerializedNode = {
    type: 0,
    id: id++,
    childNodes: [
      { type: 1, id: id++ } as SerializedNode,
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
                attributes: {
                  _cssText:
                    '.card{display:flex;gap:8px;padding:6px;border:1px solid #ddd}.row{display:grid;grid-template-columns:1fr 2fr 1fr}'.repeat(
                      40
                    )
                },
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
  const containers: SerializedNode[] = [body]
  while (id < (options.nodes ?? 6400)) {
    const parent = containers[Math.floor(random() * containers.length)] as SerializedNode
    const tag = ['div', 'span', 'p', 'li', 'button', 'td', 'a'][Math.floor(random() * 7)] as string
    const element: SerializedNode = {
      type: 2,
      tagName: tag,
      attributes: { class: `c${id % 40} card` },
      childNodes: [],
      id: id++
    }
    parent.childNodes?.push(element)
    elementIds.push(element.id)
    if (tag === 'div' || tag === 'li') containers.push(element)
    if (random() < 0.6) {
      const node = { type: 3, textContent: text(), id: id++ }
      element.childNodes?.push(node)
      textIds.push(node.id)
    }
  }
  await write(
    `{"version":"2023-04-28","data":{"id":"${options.id}","person":{"uuid":"bench-person","distinct_ids":["bench-person"],"properties":{"email":"long.recording@bench.test"}},"snapshots":[`
  )
  await emit({
    type: 4,
    timestamp: start,
    data: { href: 'https://app.bench.test/orders', width: 1440, height: 900 }
  })
  await emit({
    type: 2,
    timestamp: start + 5,
    data: { node: root, initialOffset: { top: 0, left: 0 } }
  })
  const total = options.incrementals ?? 199_000
  const spanMs = options.durationMs ?? 60 * 60 * 1000
  let nextId = id
  const added: Array<{ id: number; parentId: number }> = []
  for (let i = 0; i < total; i++) {
    const ts = start + 10 + Math.floor(((i + random()) / total) * spanMs)
    const r = random()
    const node = elementIds[Math.floor(random() * elementIds.length)] as number
    if (r < 0.5) {
      await emit({
        type: 3,
        timestamp: ts,
        data: {
          source: 1,
          positions: [
            {
              x: Math.floor(random() * 1440),
              y: Math.floor(random() * 900),
              id: node,
              timeOffset: 0
            }
          ]
        }
      })
    } else if (r < 0.55) {
      await emit({ type: 3, timestamp: ts, data: { source: 2, type: 2, id: node, x: 100, y: 200 } })
    } else if (r < 0.62) {
      await emit({
        type: 3,
        timestamp: ts,
        data: { source: 3, id: 1, x: 0, y: Math.floor(random() * 3000) }
      })
    } else if (r < 0.66) {
      await emit({
        type: 3,
        timestamp: ts,
        data: {
          source: 5,
          text: '*'.repeat(1 + Math.floor(random() * 12)),
          isChecked: false,
          id: node
        }
      })
    } else if (r < 0.995) {
      const adds =
        random() < 0.3
          ? [
              {
                parentId: node,
                nextId: null,
                node: {
                  type: 2,
                  tagName: 'span',
                  attributes: { class: 'badge' },
                  childNodes: [],
                  id: nextId
                }
              }
            ]
          : []
      if (adds.length > 0) added.push({ id: nextId++, parentId: node })
      const removes =
        random() < 0.1 && added.length > 1
          ? [added.shift() as { id: number; parentId: number }]
          : []
      await emit({
        type: 3,
        timestamp: ts,
        data: {
          source: 0,
          texts: [
            {
              id: textIds[Math.floor(random() * textIds.length)],
              value: `Total ${Math.floor(random() * 10_000)}`
            }
          ],
          attributes: [
            {
              id: node,
              attributes: {
                class: `c${Math.floor(random() * 40)} card${random() < 0.5 ? ' active' : ''}`
              }
            }
          ],
          removes,
          adds
        }
      })
    } else {
      await emit({
        type: 6,
        timestamp: ts,
        data: {
          plugin: 'rrweb/console@1',
          payload: { level: 'error', payload: ['"sync failed"'], trace: [] }
        }
      })
    }
  }
  await write(']}}\n')
  out.end()
  await once(out, 'finish')
  return { events, bytes }
}

