/**
 * A serialized page kept up to date without a DOM, for keyframes built at import.
 *
 * rrweb's FullSnapshot is a serialized node tree (rrweb-snapshot's `serializedNodeWithId`). `KeyframeTree` keeps its
 * own node objects keyed by id (the parsed events are never mutated) and applies incrementals the way rrweb's
 * Replayer resolves them (`applyMutation` in rrweb 2.x): removes, then adds (placed after `previousId` or before
 * `nextId`; adds whose parent or next sibling comes later in the batch wait in a queue), then texts (the last per
 * id), then attributes (string, null = remove, style objects applied to the declaration text). What a tree cannot
 * hold travels as events stamped at the keyframe's time: the latest scroll, input, media state and selection per
 * node, style-sheet rule/declaration, adopted style sheet, font and custom-element events since the last real full
 * snapshot, and each iframe's document (an `isAttachIframe` mutation, as the recorder itself sends it).
 *
 * `keyframe(timestampMs)` returns `[Meta, FullSnapshot, ...state events]`: replaying it and the events after it
 * draws the same page as replaying the recording from its full snapshot.
 */

/** rrweb event types and incremental sources (rrweb's `EventType` / `IncrementalSource`). */
export const RrwebEvent = { FullSnapshot: 2, Incremental: 3, Meta: 4 } as const
export const RrwebSource = {
  Mutation: 0,
  MouseMove: 1,
  MouseInteraction: 2,
  Scroll: 3,
  ViewportResize: 4,
  Input: 5,
  TouchMove: 6,
  MediaInteraction: 7,
  StyleSheetRule: 8,
  CanvasMutation: 9,
  Font: 10,
  Drag: 12,
  StyleDeclaration: 13,
  Selection: 14,
  AdoptedStyleSheet: 15,
  CustomElement: 16
} as const

/** rrweb's `MouseInteractions` that move its pointer when replayed: MouseUp, MouseDown, Click, TouchStart, TouchEnd. */
const POINTER_INTERACTIONS = new Set([0, 1, 2, 7, 9])

/** rrweb-snapshot's `NodeType`. */
const NodeType = {
  Document: 0,
  DocumentType: 1,
  Element: 2,
  Text: 3,
  CDATA: 4,
  Comment: 5
} as const

/** A serialized node as rrweb-snapshot writes it (only what the applier reads is typed). */
export type SerializedNode = {
  type: number
  id: number
  tagName?: string
  attributes?: Record<string, unknown>
  childNodes?: SerializedNode[]
  textContent?: string
  isStyle?: boolean
  isShadow?: boolean
  rootId?: number
  [key: string]: unknown
}

export type KeyframeEvent = { type: number; timestamp: number; data: unknown }

type AddMutation = {
  parentId: number
  nextId?: number | null
  previousId?: number | null
  node: SerializedNode
}
type RemoveMutation = { parentId: number; id: number; isShadow?: boolean }
type MutationData = {
  source: number
  adds?: AddMutation[]
  removes?: RemoveMutation[]
  texts?: { id: number; value: string | null }[]
  attributes?: { id: number; attributes: Record<string, unknown> }[]
}

/** Ids for nodes rrweb makes without one (a text node from `textContent` on an element): far above recorded ids. */
const SYNTHETIC_ID_BASE = 2_000_000_000

class TreeNode {
  readonly id: number
  /** The serialized node it was built from (rrweb's mirror meta: what re-adding the same id is compared with). */
  meta: SerializedNode
  parent: TreeNode | null = null
  children: TreeNode[] = []
  attributes: Record<string, unknown> | null
  /** Attributes are copied before the first change (the parsed event is shared). */
  ownsAttributes = false
  textContent: string | undefined
  /** An iframe's document (rrweb attaches it as the iframe's content, not as a child). */
  contentDocument: TreeNode | null = null

  constructor(meta: SerializedNode) {
    this.id = meta.id
    this.meta = meta
    this.attributes = meta.attributes ?? null
    this.textContent = meta.textContent
  }

  get tagName(): string | undefined {
    return this.meta.type === NodeType.Element ? this.meta.tagName : undefined
  }

  writableAttributes(): Record<string, unknown> {
    if (!this.ownsAttributes) {
      this.attributes = { ...(this.attributes ?? {}) }
      this.ownsAttributes = true
    }
    return this.attributes as Record<string, unknown>
  }

  /** Sets an attribute as rrweb's replay does: a new one comes after those the element has. */
  setAttribute(name: string, value: unknown): void {
    const attributes = this.writableAttributes()
    // rrweb builds inputs and textareas with autocomplete="off" set last: an attribute added later comes after it.
    if (!(name in attributes) && !('autocomplete' in attributes) && (this.tagName === 'input' || this.tagName === 'textarea'))
      attributes.autocomplete = 'off'
    attributes[name] = value
  }
}

/** Thrown where rrweb's `insertBefore` would throw: the rest of that mutation event is not applied (as in rrweb). */
class MutationAbort extends Error {}

function isNodeMetaEqual(a: SerializedNode, b: SerializedNode): boolean {
  if (a.type !== b.type) return false
  if (a.type === NodeType.Document) return a.compatMode === b.compatMode
  if (a.type === NodeType.DocumentType)
    return a.name === b.name && a.publicId === b.publicId && a.systemId === b.systemId
  if (a.type === NodeType.Comment || a.type === NodeType.Text || a.type === NodeType.CDATA)
    return a.textContent === b.textContent
  if (a.type === NodeType.Element) {
    return (
      a.tagName === b.tagName &&
      JSON.stringify(a.attributes) === JSON.stringify(b.attributes) &&
      a.isSVG === b.isSVG &&
      a.needBlock === b.needBlock
    )
  }
  return false
}

/** Splits a style attribute into declarations (`;` outside quotes and parentheses). */
function parseDeclarations(text: string): { name: string; value: string; important: boolean }[] {
  const parts: string[] = []
  let depth = 0
  let quote = ''
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '(') depth++
    else if (c === ')') depth = Math.max(0, depth - 1)
    else if (c === ';' && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  const declarations: { name: string; value: string; important: boolean }[] = []
  for (const part of parts) {
    const colon = part.indexOf(':')
    if (colon < 0) continue
    const name = part.slice(0, colon).trim()
    let value = part.slice(colon + 1).trim()
    const important = /!\s*important\s*$/i.test(value)
    if (important) value = value.replace(/!\s*important\s*$/i, '').trim()
    if (name)
      declarations.push({
        name: name.startsWith('--') ? name : name.toLowerCase(),
        value,
        important
      })
  }
  return declarations
}

/**
 * Applies an rrweb style object (`{ prop: value | [value, priority] | false }`) to a style attribute's text, as
 * `element.style.setProperty/removeProperty` would (the browser re-serialises values; the declarations are equal).
 */
export function applyStyleObject(styleText: string, changes: Record<string, unknown>): string {
  const declarations = parseDeclarations(styleText)
  for (const name of Object.keys(changes)) {
    const change = changes[name]
    const index = declarations.findIndex((d) => d.name === name)
    if (change === false) {
      if (index >= 0) declarations.splice(index, 1)
      continue
    }
    const [value, priority] = Array.isArray(change)
      ? [String(change[0]), String(change[1] ?? '')]
      : [String(change), '']
    if (value === '') {
      if (index >= 0) declarations.splice(index, 1)
      continue
    }
    const declaration = { name, value, important: priority === 'important' }
    if (index >= 0) declarations[index] = declaration
    else declarations.push(declaration)
  }
  return declarations
    .map((d) => `${d.name}: ${d.value}${d.important ? ' !important' : ''};`)
    .join(' ')
}

/** The serialized state of one window's page, updated event by event. */
export class KeyframeTree {
  private nodes = new Map<number, TreeNode>()
  private root: TreeNode | null = null
  private meta: Record<string, unknown> | null = null
  private initialOffset: unknown = { left: 0, top: 0 }
  private viewport: { width: number; height: number } | null = null
  private nextSyntheticId = SYNTHETIC_ID_BASE
  /** Iframe documents added before their iframe (rrweb's `newDocumentQueue`). */
  private pendingDocuments: AddMutation[] = []
  private readonly latest = new Map<string, unknown>()
  /** Style-sheet rule/declaration events per `<style>`/`<link>` id, dropped when its text changes (as rrweb does). */
  private readonly rulesById = new Map<number, unknown[]>()
  /** Constructed style sheets, adopted style sheets, fonts, custom elements: in order, since the last full snapshot. */
  private ordered: unknown[] = []

  /** Applies one rrweb event (any type; those that change nothing on the page are ignored). */
  apply(event: KeyframeEvent): void {
    const data = event.data as Record<string, unknown> | null
    if (!data || typeof data !== 'object') return
    if (event.type === RrwebEvent.Meta) {
      this.meta = data
      this.viewport = null
    } else if (event.type === RrwebEvent.FullSnapshot) this.reset(data)
    else if (event.type === RrwebEvent.Incremental && this.root) this.applyIncremental(data)
  }

  private reset(data: Record<string, unknown>): void {
    const node = data.node as SerializedNode | undefined
    this.nodes = new Map()
    this.root = null
    this.pendingDocuments = []
    this.latest.clear()
    this.rulesById.clear()
    this.ordered = []
    if (!node || typeof node !== 'object' || node.type !== NodeType.Document) return
    this.initialOffset = data.initialOffset ?? { left: 0, top: 0 }
    this.root = this.build(node, true)
  }

  /** Builds tree nodes for `sn` (and its children unless `skipChild`, as rrweb-snapshot's buildNodeWithSN). */
  private build(sn: SerializedNode, withChildren: boolean): TreeNode {
    const node = new TreeNode(sn)
    this.nodes.set(sn.id, node)
    if (withChildren && Array.isArray(sn.childNodes)) {
      for (const child of sn.childNodes) {
        const built = this.build(child, true)
        built.parent = node
        node.children.push(built)
      }
    }
    return node
  }

  private applyIncremental(data: Record<string, unknown>): void {
    const source = data.source as number
    const id = typeof data.id === 'number' ? data.id : undefined
    switch (source) {
      case RrwebSource.Mutation:
        try {
          this.applyMutation(data as unknown as MutationData)
        } catch (error) {
          if (!(error instanceof MutationAbort)) throw error
        }
        break
      case RrwebSource.Scroll:
      case RrwebSource.Input:
        if (id !== undefined && id !== -1) this.setLatest(`${source}:${id}`, data)
        break
      case RrwebSource.MediaInteraction:
        if (id !== undefined) this.setLatest(`${source}:${id}:${String(data.type)}`, data)
        break
      case RrwebSource.Selection:
        this.setLatest(`${source}`, data)
        break
      case RrwebSource.MouseInteraction:
        // A click, press, release or touch on a node the page has moves rrweb's pointer there, as a move does.
        if (id !== undefined && this.nodes.has(id) && POINTER_INTERACTIONS.has(data.type as number)) this.setLatest('mouse', data)
        break
      case RrwebSource.MouseMove:
      case RrwebSource.TouchMove:
      case RrwebSource.Drag: {
        const positions = data.positions
        if (Array.isArray(positions) && positions.length > 0) {
          this.setLatest('mouse', {
            ...data,
            positions: [{ ...positions[positions.length - 1], timeOffset: 0 }]
          })
        }
        break
      }
      case RrwebSource.ViewportResize:
        if (typeof data.width === 'number' && typeof data.height === 'number') {
          this.viewport = { width: data.width, height: data.height }
        }
        break
      case RrwebSource.StyleSheetRule:
      case RrwebSource.StyleDeclaration:
        if (data.styleId) this.ordered.push(data)
        else if (id !== undefined) {
          let list = this.rulesById.get(id)
          if (!list) this.rulesById.set(id, (list = []))
          list.push(data)
        }
        break
      case RrwebSource.AdoptedStyleSheet:
      case RrwebSource.Font:
      case RrwebSource.CustomElement:
        this.ordered.push(data)
        break
    }
  }

  private setLatest(key: string, data: unknown): void {
    this.latest.delete(key)
    this.latest.set(key, data)
  }

  private applyMutation(d: MutationData): void {
    const removes = (d.removes ?? []).filter((m) => this.nodes.has(m.id))
    for (const m of removes) {
      const target = this.nodes.get(m.id)
      const parent = this.nodes.get(m.parentId)
      if (!target || !parent) continue
      this.unmap(target)
      if (target.parent === parent) {
        this.detach(target)
        if (target.meta.type === NodeType.Text && parent.tagName === 'style')
          this.rulesById.delete(parent.id)
      }
    }

    const queue: AddMutation[] = []
    const appendNode = (m: AddMutation) => this.appendNode(m, queue)
    for (const m of d.adds ?? []) appendNode(m)
    // Adds whose parent or next sibling came later: rrweb groups them into trees and retries until nothing moves.
    while (queue.length > 0) {
      const trees = queueToResolveTrees(queue.splice(0))
      const before = this.nodes.size
      let placedAny = false
      for (const tree of trees) {
        if (!this.nodes.has(tree.value.parentId)) continue
        iterateResolveTree(tree, (m) => {
          const queued = queue.length
          appendNode(m)
          if (queue.length === queued) placedAny = true
        })
      }
      // rrweb gives up after 500 ms of retries; here, as soon as a round places nothing.
      if (!placedAny && this.nodes.size === before) break
    }

    const seen = new Set<number>()
    const texts = d.texts ?? []
    for (let i = texts.length - 1; i >= 0; i--) {
      const m = texts[i] as { id: number; value: string | null }
      if (seen.has(m.id)) continue
      seen.add(m.id)
      const target = this.nodes.get(m.id)
      if (!target) continue
      this.setTextContent(target, m.value)
    }

    for (const m of d.attributes ?? []) {
      const target = this.nodes.get(m.id)
      if (!target) continue
      for (const name of Object.keys(m.attributes ?? {})) {
        const value = m.attributes[name]
        if (value === null) {
          if (target.attributes && name in target.attributes)
            delete target.writableAttributes()[name]
        } else if (typeof value === 'string') {
          if (name === '_cssText' && (target.tagName === 'link' || target.tagName === 'style')) {
            // rrweb rebuilds the element from its meta and the new attributes, without children.
            const attributes = { ...(target.meta.attributes ?? {}), ...m.attributes }
            target.meta = { ...target.meta, attributes }
            target.attributes = { ...attributes }
            target.ownsAttributes = true
            for (const child of [...target.children]) this.detach(child)
            this.rulesById.delete(target.id)
            break
          }
          if (name === 'value' && target.tagName === 'textarea') {
            for (const child of [...target.children])
              if (child.meta.type === NodeType.Text) this.detach(child)
          }
          target.setAttribute(name, value)
        } else if (name === 'style' && typeof value === 'object') {
          const current = target.attributes?.style
          target.setAttribute('style', applyStyleObject(typeof current === 'string' ? current : '', value as Record<string, unknown>))
        }
      }
    }
  }

  private appendNode(m: AddMutation, queue: AddMutation[]): void {
    let parent = this.nodes.get(m.parentId)
    if (!m.node || typeof m.node !== 'object') return
    if (!parent) {
      if (m.node.type === NodeType.Document) this.pendingDocuments.push(m)
      else queue.push(m)
      return
    }
    const previous = m.previousId ? (this.nodes.get(m.previousId) ?? null) : null
    const next = m.nextId ? (this.nodes.get(m.nextId) ?? null) : null
    if (m.nextId !== null && m.nextId !== undefined && m.nextId !== -1 && !next) {
      queue.push(m)
      return
    }
    if (m.node.rootId && !this.nodes.has(m.node.rootId)) return
    if (parent.tagName === 'iframe') {
      this.attachDocument(m, parent)
      return
    }
    const target = this.buildForAdd(m.node)
    if (m.previousId === -1 || m.nextId === -1) return
    if (m.node.type === NodeType.Text && parent.meta.type === NodeType.Element) {
      if (parent.tagName === 'textarea') {
        for (const child of [...parent.children])
          if (child.meta.type === NodeType.Text) this.detach(child)
      }
    } else if (parent.meta.type === NodeType.Document) {
      const first = parent.children[0]
      if (
        m.node.type === NodeType.DocumentType &&
        first?.meta.type === NodeType.DocumentType &&
        first !== target
      ) {
        this.detach(first)
      }
      if (target.tagName === 'html') {
        const html = parent.children.find((c) => c.tagName === 'html' && c !== target)
        if (html) this.detach(html)
      }
    }
    parent = parent as TreeNode
    const previousNext = previous?.parent
      ? previous.parent.children[previous.parent.children.indexOf(previous) + 1]
      : undefined
    if (previous && previousNext) this.insertBefore(parent, target, previousNext)
    else if (next && next.parent) {
      if (this.contains(parent, next)) this.insertBefore(parent, target, next)
      else this.insertBefore(parent, target, null)
    } else this.insertBefore(parent, target, null)
    if (target.tagName === 'iframe') this.attachWaitingDocument(target)
  }

  /** rrweb's buildNodeWithSN with skipChild: an equal node already known under the id is reused (and moved). */
  private buildForAdd(sn: SerializedNode): TreeNode {
    const existing = this.nodes.get(sn.id)
    if (existing && isNodeMetaEqual(existing.meta, sn)) return existing
    return this.build(sn, false)
  }

  private attachDocument(m: AddMutation, iframe: TreeNode): void {
    if (m.node.type !== NodeType.Document) return
    iframe.contentDocument = this.build(m.node, true)
    // Iframes inside it whose documents arrived first.
    const stack = [iframe.contentDocument]
    while (stack.length > 0) {
      const node = stack.pop() as TreeNode
      if (node.tagName === 'iframe' && !node.contentDocument) this.attachWaitingDocument(node)
      stack.push(...node.children)
    }
  }

  /** Attaches the document queued for `iframe` (added before it), if any. */
  private attachWaitingDocument(iframe: TreeNode): void {
    const waiting = this.pendingDocuments.find((d) => d.parentId === iframe.id)
    if (!waiting) return
    this.pendingDocuments = this.pendingDocuments.filter((d) => d !== waiting)
    this.attachDocument(waiting, iframe)
  }

  private insertBefore(parent: TreeNode, target: TreeNode, before: TreeNode | null): void {
    if (before && before.parent !== parent) throw new MutationAbort('insertBefore: not a child')
    if (target === before) return
    if (this.contains(target, parent)) throw new MutationAbort('insertBefore: hierarchy')
    this.detach(target)
    if (!before) parent.children.push(target)
    else parent.children.splice(parent.children.indexOf(before), 0, target)
    target.parent = parent
  }

  /** True when `node` is `ancestor` or inside it (rrweb's `Node.contains`). */
  private contains(ancestor: TreeNode, node: TreeNode): boolean {
    for (let n: TreeNode | null = node; n; n = n.parent) if (n === ancestor) return true
    return false
  }

  private detach(node: TreeNode): void {
    const parent = node.parent
    if (!parent) return
    const index = parent.children.indexOf(node)
    if (index >= 0) parent.children.splice(index, 1)
    node.parent = null
  }

  /** Forgets a node and its subtree by id (rrweb's mirror.removeNodeFromMap; an iframe's document stays known). */
  private unmap(node: TreeNode): void {
    const stack = [node]
    while (stack.length > 0) {
      const n = stack.pop() as TreeNode
      if (this.nodes.get(n.id) === n) this.nodes.delete(n.id)
      stack.push(...n.children)
    }
  }

  private setTextContent(target: TreeNode, value: string | null): void {
    if (target.meta.type === NodeType.Element || target.meta.type === NodeType.Document) {
      for (const child of [...target.children]) this.detach(child)
      if (value) {
        const text = new TreeNode({
          type: NodeType.Text,
          id: this.nextSyntheticId++,
          textContent: value
        })
        text.parent = target
        target.children.push(text)
      }
      if (target.tagName === 'style') this.rulesById.delete(target.id)
      return
    }
    target.textContent = value ?? ''
    if (target.parent?.tagName === 'style') this.rulesById.delete(target.parent.id)
  }

  /**
   * The page now, as events stamped `timestampMs`: Meta (with the latest viewport), FullSnapshot, iframe documents,
   * then the state a tree cannot hold. Null before a full snapshot.
   */
  keyframe(timestampMs: number): KeyframeEvent[] | null {
    if (!this.root || !this.meta) return null
    const iframes: { iframeId: number; node: SerializedNode }[] = []
    const node = this.serialize(this.root, false, iframes)
    const meta = { ...this.meta, ...(this.viewport ?? {}) }
    const events: KeyframeEvent[] = [
      { type: RrwebEvent.Meta, timestamp: timestampMs, data: meta },
      {
        type: RrwebEvent.FullSnapshot,
        timestamp: timestampMs,
        data: { node, initialOffset: this.initialOffset }
      }
    ]
    const incremental = (data: unknown) =>
      events.push({ type: RrwebEvent.Incremental, timestamp: timestampMs, data })
    for (const frame of iframes) {
      incremental({
        source: RrwebSource.Mutation,
        adds: [{ parentId: frame.iframeId, nextId: null, node: frame.node }],
        removes: [],
        texts: [],
        attributes: [],
        isAttachIframe: true
      })
    }
    for (const rules of this.rulesById.values()) for (const data of rules) incremental(data)
    for (const data of this.ordered) incremental(data)
    for (const data of this.latest.values()) incremental(data)
    return events
  }

  private serialize(
    node: TreeNode,
    parentIsStyle: boolean,
    iframes: { iframeId: number; node: SerializedNode }[]
  ): SerializedNode {
    const meta = node.meta
    const out: SerializedNode = { ...meta }
    if (meta.type === NodeType.Element || meta.type === NodeType.Document) {
      if (meta.type === NodeType.Element) out.attributes = node.attributes ?? {}
      const isStyle = node.tagName === 'style'
      out.childNodes = node.children.map((child) => this.serialize(child, isStyle, iframes))
      if (node.contentDocument) {
        iframes.push({
          iframeId: node.id,
          node: this.serialize(node.contentDocument, false, iframes)
        })
      }
    } else {
      delete out.childNodes
      if (node.textContent !== undefined) out.textContent = node.textContent
      if (parentIsStyle && meta.type === NodeType.Text) out.isStyle = true
    }
    return out
  }
}

type ResolveTree = { value: AddMutation; parent: ResolveTree | null; children: ResolveTree[] }

/** rrweb's queueToResolveTrees: queued adds grouped by parent and next sibling, in DOM order. */
function queueToResolveTrees(queue: AddMutation[]): ResolveTree[] {
  const byId = new Map<number, ResolveTree>()
  const trees: ResolveTree[] = []
  const put = (m: AddMutation, parent: ResolveTree | null) => {
    const tree: ResolveTree = { value: m, parent, children: [] }
    byId.set(m.node.id, tree)
    return tree
  }
  for (const m of queue) {
    const nextInTree = m.nextId ? byId.get(m.nextId) : undefined
    if (nextInTree) {
      if (nextInTree.parent) {
        nextInTree.parent.children.splice(
          nextInTree.parent.children.indexOf(nextInTree),
          0,
          put(m, nextInTree.parent)
        )
      } else trees.splice(trees.indexOf(nextInTree), 0, put(m, null))
      continue
    }
    const parentInTree = byId.get(m.parentId)
    if (parentInTree) {
      parentInTree.children.push(put(m, parentInTree))
      continue
    }
    trees.push(put(m, null))
  }
  return trees
}

/** Parent first, then its children last to first (rrweb appends the next sibling first). */
function iterateResolveTree(tree: ResolveTree, visit: (m: AddMutation) => void): void {
  visit(tree.value)
  for (let i = tree.children.length - 1; i >= 0; i--)
    iterateResolveTree(tree.children[i] as ResolveTree, visit)
}
