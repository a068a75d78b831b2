import { describe, expect, it } from 'vitest'
import {
  applyStyleObject,
  KeyframeTree,
  type KeyframeEvent,
  type SerializedNode
} from './keyframe-tree'

const text = (id: number, textContent: string): SerializedNode => ({ type: 3, id, textContent })
const el = (
  id: number,
  tagName: string,
  attributes: Record<string, unknown> = {},
  childNodes: SerializedNode[] = []
): SerializedNode => ({
  type: 2,
  id,
  tagName,
  attributes,
  childNodes
})

/** A page: html(2) > head(3), body(4) > ul(5) > li(6) "a"(7), li(8) "b"(9); textarea(10); iframe(11); div(12). */
function page(): KeyframeEvent[] {
  return [
    { type: 4, timestamp: 1, data: { href: 'https://p.test/', width: 800, height: 600 } },
    {
      type: 2,
      timestamp: 2,
      data: {
        initialOffset: { left: 0, top: 0 },
        node: {
          type: 0,
          id: 1,
          childNodes: [
            el(2, 'html', {}, [
              el(3, 'head'),
              el(4, 'body', {}, [
                el(5, 'ul', {}, [el(6, 'li', {}, [text(7, 'a')]), el(8, 'li', {}, [text(9, 'b')])]),
                el(10, 'textarea', { value: 'x' }),
                el(11, 'iframe'),
                el(12, 'div', { style: 'color: red; margin: 0px;' })
              ])
            ])
          ]
        }
      }
    }
  ]
}

const mutation = (data: Record<string, unknown>): KeyframeEvent => ({
  type: 3,
  timestamp: 10,
  data: { source: 0, adds: [], removes: [], texts: [], attributes: [], ...data }
})

/** Deep-freezes events: the tree must never change what it was given (the builder keeps them). */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) frozen(child)
    Object.freeze(value)
  }
  return value
}

function treeOf(events: KeyframeEvent[]): KeyframeTree {
  const tree = new KeyframeTree()
  for (const event of frozen(events)) tree.apply(event)
  return tree
}

type Sn = SerializedNode
function snapshotOf(tree: KeyframeTree): {
  events: KeyframeEvent[]
  root: Sn
  byId: Map<number, Sn>
} {
  const events = tree.keyframe(100) as KeyframeEvent[]
  const root = (events[1]?.data as { node: Sn }).node
  const byId = new Map<number, Sn>()
  const walk = (node: Sn) => {
    byId.set(node.id, node)
    for (const child of node.childNodes ?? []) walk(child)
  }
  walk(root)
  return { events, root, byId }
}

/** Child ids of a node in the keyframe. */
const childIds = (byId: Map<number, Sn>, id: number) =>
  (byId.get(id)?.childNodes ?? []).map((c) => c.id)

describe('keyframe tree', () => {
  it('is [Meta, FullSnapshot] stamped at the keyframe time for an unchanged page', () => {
    const { events, root } = snapshotOf(treeOf(page()))
    expect(events.map((e) => [e.type, e.timestamp])).toEqual([
      [4, 100],
      [2, 100]
    ])
    expect(root).toEqual((page()[1]?.data as { node: Sn }).node)
  })

  it('removes a subtree, and forgets its nodes (a later add under them waits and is dropped)', () => {
    const tree = treeOf([
      ...page(),
      mutation({ removes: [{ parentId: 5, id: 6 }] }),
      mutation({ adds: [{ parentId: 7, nextId: null, node: el(50, 'b') }] }),
      mutation({ texts: [{ id: 7, value: 'gone' }] })
    ])
    const { byId } = snapshotOf(tree)
    expect(childIds(byId, 5)).toEqual([8])
    expect(byId.has(7)).toBe(false)
    expect(byId.has(50)).toBe(false)
  })

  it('places adds whose parent or next sibling comes later in the same batch', () => {
    const { byId } = snapshotOf(
      treeOf([
        ...page(),
        mutation({
          adds: [
            // The child first, then its parent; `a` before `b`, which is only added after it.
            { parentId: 60, nextId: null, node: text(61, 'new') },
            { parentId: 5, nextId: 8, node: el(60, 'li') },
            { parentId: 5, nextId: 71, node: el(70, 'li') },
            { parentId: 5, nextId: null, node: el(71, 'li') }
          ]
        })
      ])
    )
    expect(childIds(byId, 5)).toEqual([6, 60, 8, 70, 71])
    expect(childIds(byId, 60)).toEqual([61])
  })

  it('inserts after previousId, and ignores the children of an added node (rrweb builds it without them)', () => {
    const { byId } = snapshotOf(
      treeOf([
        ...page(),
        mutation({
          adds: [
            { parentId: 5, previousId: 6, nextId: null, node: el(80, 'li', {}, [text(81, 'x')]) }
          ]
        })
      ])
    )
    expect(childIds(byId, 5)).toEqual([6, 80, 8])
    expect(childIds(byId, 80)).toEqual([])
  })

  it('moves a node re-added with the same meta, children and all', () => {
    const { byId } = snapshotOf(
      treeOf([
        ...page(),
        mutation({
          removes: [{ parentId: 5, id: 6 }],
          adds: [{ parentId: 4, nextId: null, node: el(6, 'li') }]
        })
      ])
    )
    expect(childIds(byId, 5)).toEqual([8])
    expect(childIds(byId, 4)).toEqual([5, 10, 11, 12, 6])
    // Unmapped on remove: rebuilt as a new node without children.
    expect(childIds(byId, 6)).toEqual([])

    const moved = snapshotOf(
      treeOf([...page(), mutation({ adds: [{ parentId: 4, nextId: null, node: el(6, 'li') }] })])
    )
    expect(childIds(moved.byId, 4)).toEqual([5, 10, 11, 12, 6])
    expect(childIds(moved.byId, 6)).toEqual([7])
  })

  it('applies texts (the last per id), attributes set and removed, and a textarea value', () => {
    const { byId } = snapshotOf(
      treeOf([
        ...page(),
        mutation({
          texts: [
            { id: 7, value: 'one' },
            { id: 7, value: 'two' }
          ],
          attributes: [
            { id: 6, attributes: { class: 'on', title: 't' } },
            { id: 10, attributes: { value: 'typed' } }
          ]
        }),
        mutation({ attributes: [{ id: 6, attributes: { title: null } }] })
      ])
    )
    expect(byId.get(7)?.textContent).toBe('two')
    expect(byId.get(6)?.attributes).toEqual({ class: 'on' })
    expect(byId.get(10)?.attributes).toEqual({ value: 'typed' })
  })

  it('puts an attribute added to a textarea or input after the autocomplete="off" rrweb builds them with', () => {
    const { byId } = snapshotOf(
      treeOf([
        ...page(),
        mutation({ attributes: [{ id: 10, attributes: { class: 'wide', value: 'typed' } }, { id: 6, attributes: { class: 'on' } }] })
      ])
    )
    // rrweb's DOM after replaying: value (recorded), autocomplete (set by the rebuild), class (added): same order.
    expect(Object.entries(byId.get(10)?.attributes ?? {})).toEqual([
      ['value', 'typed'],
      ['autocomplete', 'off'],
      ['class', 'wide']
    ])
    expect(byId.get(6)?.attributes).toEqual({ class: 'on' })
  })

  it('sets an element text content as one text node', () => {
    const { byId } = snapshotOf(
      treeOf([...page(), mutation({ texts: [{ id: 5, value: 'flat' }] })])
    )
    const children = byId.get(5)?.childNodes ?? []
    expect(children).toHaveLength(1)
    expect(children[0]).toMatchObject({ type: 3, textContent: 'flat' })
    expect(children[0]?.id).toBeGreaterThan(1_000_000)
  })

  it('applies style objects to the declaration text', () => {
    expect(
      applyStyleObject('color: red; margin: 0px;', { color: 'blue', padding: ['2px', 'important'] })
    ).toBe('color: blue; margin: 0px; padding: 2px !important;')
    expect(applyStyleObject('color: red; background: url("a;b.png");', { color: false })).toBe(
      'background: url("a;b.png");'
    )
    expect(applyStyleObject('', { color: '' })).toBe('')
    const { byId } = snapshotOf(
      treeOf([
        ...page(),
        mutation({
          attributes: [{ id: 12, attributes: { style: { margin: false, width: '5px' } } }]
        })
      ])
    )
    expect(byId.get(12)?.attributes).toEqual({ style: 'color: red; width: 5px;' })
  })

  it('keeps an iframe document apart and attaches it after the snapshot, with later changes inside it', () => {
    const doc: Sn = {
      type: 0,
      id: 100,
      childNodes: [el(101, 'html', {}, [el(102, 'body', {}, [text(103, 'in')])])]
    }
    const tree = treeOf([
      ...page(),
      mutation({ adds: [{ parentId: 11, nextId: null, node: doc }], isAttachIframe: true }),
      mutation({
        adds: [{ parentId: 102, nextId: null, node: el(104, 'p') }],
        texts: [{ id: 103, value: 'changed' }]
      })
    ])
    const { events, byId } = snapshotOf(tree)
    expect(childIds(byId, 11)).toEqual([])
    const attach = events[2]?.data as {
      source: number
      isAttachIframe: boolean
      adds: { parentId: number; node: Sn }[]
    }
    expect(attach).toMatchObject({ source: 0, isAttachIframe: true })
    expect(attach.adds[0]?.parentId).toBe(11)
    const body = attach.adds[0]?.node.childNodes?.[0]?.childNodes?.[0]
    expect(body?.childNodes?.map((c) => c.id)).toEqual([103, 104])
    expect(body?.childNodes?.[0]?.textContent).toBe('changed')
  })

  it('attaches an iframe document that arrived before its iframe', () => {
    const doc: Sn = { type: 0, id: 200, childNodes: [el(201, 'html')] }
    const { events } = snapshotOf(
      treeOf([
        ...page(),
        mutation({ adds: [{ parentId: 90, nextId: null, node: doc }] }),
        mutation({ adds: [{ parentId: 4, nextId: null, node: el(90, 'iframe') }] })
      ])
    )
    expect(events[2]?.data).toMatchObject({ isAttachIframe: true, adds: [{ parentId: 90 }] })
  })

  it('carries the latest scroll and input per node, the viewport, and style rules as state events', () => {
    const tree = treeOf([
      ...page(),
      { type: 3, timestamp: 5, data: { source: 3, id: 12, x: 0, y: 10 } },
      { type: 3, timestamp: 6, data: { source: 3, id: 12, x: 0, y: 20 } },
      { type: 3, timestamp: 7, data: { source: 5, id: 10, text: 'a', isChecked: false } },
      { type: 3, timestamp: 8, data: { source: 4, width: 500, height: 400 } },
      { type: 3, timestamp: 9, data: { source: 8, id: 3, adds: [{ rule: 'p{}', index: 0 }] } },
      {
        type: 3,
        timestamp: 9,
        data: {
          source: 1,
          positions: [
            { x: 1, y: 1, id: 4, timeOffset: -20 },
            { x: 5, y: 6, id: 4, timeOffset: 0 }
          ]
        }
      }
    ])
    const { events } = snapshotOf(tree)
    expect(events[0]?.data).toMatchObject({ width: 500, height: 400 })
    const state = events.slice(2).map((e) => e.data)
    expect(state).toEqual([
      { source: 8, id: 3, adds: [{ rule: 'p{}', index: 0 }] },
      { source: 3, id: 12, x: 0, y: 20 },
      { source: 5, id: 10, text: 'a', isChecked: false },
      { source: 1, positions: [{ x: 5, y: 6, id: 4, timeOffset: 0 }] }
    ])
    expect(events.every((e) => e.timestamp === 100)).toBe(true)
  })

  it('moves the pointer to the last click, press or move on a node the page has, as rrweb does when seeking', () => {
    const move = { type: 3, timestamp: 5, data: { source: 1, positions: [{ x: 5, y: 6, id: 4, timeOffset: 0 }] } }
    const click = { type: 3, timestamp: 6, data: { source: 2, type: 2, id: 8, x: 30, y: 40 } }
    const pointer = (events: KeyframeEvent[]) => snapshotOf(treeOf([...page(), ...events])).events.slice(2).map((e) => e.data)
    expect(pointer([move, click])).toEqual([click.data])
    expect(pointer([click, move])).toEqual([move.data])
    // A focus does not move it; nor does a click on a node the page no longer has (rrweb skips it).
    expect(pointer([move, { type: 3, timestamp: 6, data: { source: 2, type: 5, id: 8 } }])).toEqual([move.data])
    expect(pointer([move, mutation({ removes: [{ parentId: 5, id: 8 }] }), click])).toEqual([move.data])
  })

  it('starts over at a new full snapshot', () => {
    const tree = treeOf([
      ...page(),
      { type: 3, timestamp: 5, data: { source: 3, id: 12, x: 0, y: 10 } },
      mutation({ removes: [{ parentId: 5, id: 6 }] }),
      ...page()
    ])
    const { events, byId } = snapshotOf(tree)
    expect(events).toHaveLength(2)
    expect(childIds(byId, 5)).toEqual([6, 8])
  })

  it('has no keyframe before a full snapshot', () => {
    expect(treeOf([page()[0] as KeyframeEvent]).keyframe(5)).toBeNull()
  })
})
