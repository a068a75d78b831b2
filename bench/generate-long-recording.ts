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

/**
 * The recorded page: `dashboard` (default) is laid out like a real admin dashboard (header and nav, a sidebar of
 * link lists, a grid of cards, tables, an activity list, a form; nesting ~10–17 deep); `nested-flex` is the first
 * generator's page (every element a `display:flex` card, nested up to ~18 deep, `td`s outside tables), a layout
 * worst case kept for comparison.
 */
export type LongRecordingPage = 'dashboard' | 'nested-flex'
export const LONG_RECORDING_PAGES: readonly LongRecordingPage[] = ['dashboard', 'nested-flex']

export type LongRecordingOptions = {
  /** The recording's (session) id. */
  id: string
  /** Incremental events after the single full snapshot (default 199,000). */
  incrementals?: number
  /** Span of the recording (default 60 minutes). */
  durationMs?: number
  /** Serialized nodes in the full snapshot (default 6,400). */
  nodes?: number
  /** The recorded page (default `dashboard`). */
  page?: LongRecordingPage
  startMs?: number
  seed?: number
  /**
   * Rules of a site-wide utility stylesheet (`utilityStylesheet`) inlined after the page's own: real sites inline
   * 100 KB+ of CSS, which the player rewrites for replay in a worker (default none).
   */
  utilityRules?: number
}

export type SerializedNode = {
  type: number
  id: number
  tagName?: string
  attributes?: Record<string, string | boolean>
  childNodes?: SerializedNode[]
  textContent?: string
  isSVG?: boolean
}

/** A generated full snapshot and what the incrementals may target in it. */
type GeneratedPage = {
  root: SerializedNode
  /** The first id not in the snapshot (nodes added later take ids from here). */
  nextId: number
  /** Elements that mouse moves, clicks, inputs and mutations pick from. */
  elementIds: number[]
  /** Text nodes whose text mutations change. */
  textIds: number[]
  /** The element an input event picked at `node` goes to. */
  inputFor: (node: number) => number
  /** The element a badge added at `node` goes into. */
  hostFor: (node: number) => number
  /** The class attribute a mutation at `node` sets. */
  classFor: (node: number) => string
}

const WORDS = [
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

/** Two to seven of `WORDS`. */
function words(random: () => number): string {
  return Array.from(
    { length: 2 + Math.floor(random() * 6) },
    () => WORDS[Math.floor(random() * WORDS.length)]
  ).join(' ')
}

/**
 * `rules` rules of a utility-class stylesheet like the ones CSS frameworks generate (spacing, colour, `:hover` and
 * `:focus` variants, breakpoints), ~90 characters each. Deterministic.
 */
export function utilityStylesheet(rules: number): string {
  const properties = ['margin', 'padding', 'gap', 'width', 'min-height', 'border-radius', 'letter-spacing']
  const parts: string[] = []
  for (let i = 0; i < rules; i++) {
    const property = properties[i % properties.length] as string
    const size = (i % 48) / 4
    const hue = (i * 37) % 360
    if (i % 5 === 0) parts.push(`.hover\\:u-${i}:hover{background-color:hsl(${hue} 70% 45%);color:#fff;box-shadow:0 1px 2px rgba(0,0,0,.1)}`)
    else if (i % 7 === 0) parts.push(`@media (min-width:${640 + (i % 4) * 128}px){.md\\:u-${i}{${property}:${size}rem;display:flex}}`)
    else if (i % 11 === 0) parts.push(`.focus\\:u-${i}:focus-visible{outline:2px solid hsl(${hue} 80% 50%);outline-offset:2px}`)
    else parts.push(`.u-${i}{${property}:${size}rem;border-color:hsl(${hue} 30% 80%)}`)
  }
  return parts.join('\n')
}

/** The document, doctype, html and head (with one inline stylesheet) around `body`; ids from `id`. */
function documentAround(
  id: number,
  cssText: string,
  head: (headNode: SerializedNode, id: number) => number
): {
  root: SerializedNode
  body: SerializedNode
  nextId: number
} {
  const body: SerializedNode = { type: 2, tagName: 'body', attributes: {}, childNodes: [], id: 0 }
  const headNode: SerializedNode = {
    type: 2,
    tagName: 'head',
    attributes: {},
    id: 0,
    childNodes: []
  }
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
        childNodes: [headNode, body]
      }
    ]
  }
  headNode.id = id++
  id = head(headNode, id)
  headNode.childNodes?.push({
    type: 2,
    tagName: 'style',
    attributes: { _cssText: cssText },
    childNodes: [],
    id: id++
  })
  body.id = id++
  return { root, body, nextId: id }
}

/** The first generator's page: random elements, every one a flex card, nested at random. */
function nestedFlexPage(random: () => number, nodes: number): GeneratedPage {
  const css =
    '.card{display:flex;gap:8px;padding:6px;border:1px solid #ddd}.row{display:grid;grid-template-columns:1fr 2fr 1fr}'.repeat(
      40
    )
  const { root, body, nextId } = documentAround(1, css, (_head, id) => id)
  let id = nextId
  const textIds: number[] = []
  const elementIds: number[] = []
  const containers: SerializedNode[] = [body]
  while (id < nodes) {
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
      const node = { type: 3, textContent: words(random), id: id++ }
      element.childNodes?.push(node)
      textIds.push(node.id)
    }
  }
  return {
    root,
    nextId: id,
    elementIds,
    textIds,
    inputFor: (node) => node,
    hostFor: (node) => node,
    classFor: () => `c${Math.floor(random() * 40)} card${random() < 0.5 ? ' active' : ''}`
  }
}

/** The dashboard's stylesheet: a few KB of ordinary layout rules. */
const DASHBOARD_CSS = `*,*::before,*::after{box-sizing:border-box}
html{font-size:14px;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45;color:#1f2430;background:#f5f6f8}
a{color:#3355cc;text-decoration:none}a:hover{text-decoration:underline}
h1,h2,h3{margin:0;font-weight:600;line-height:1.25}h1{font-size:1.6rem}h2{font-size:1.15rem}h3{font-size:1rem}
p{margin:0 0 .5rem}ul,ol{margin:0;padding:0;list-style:none}
.icon{width:16px;height:16px;flex:none;fill:none;stroke:currentColor;stroke-width:1.5}
.topbar{position:sticky;top:0;z-index:10;background:#1f2430;color:#e8eaf0;box-shadow:0 1px 2px rgba(0,0,0,.2)}
.topbar-inner{display:flex;align-items:center;gap:24px;height:56px;padding:0 20px}
.brand{display:flex;align-items:center;gap:8px;color:#fff;font-weight:700;font-size:1.05rem}
.main-nav ul{display:flex;gap:4px}
.main-nav a{display:block;padding:6px 10px;border-radius:6px;color:#c9cdd8}
.main-nav li.active a,.main-nav a:hover{background:#353b4d;color:#fff;text-decoration:none}
.global-search{display:flex;align-items:center;gap:6px;margin-left:auto;padding:0 10px;border-radius:6px;background:#353b4d}
.global-search input{width:260px;border:0;background:transparent;color:#fff;padding:7px 0}
.topbar-actions{display:flex;align-items:center;gap:8px}
.avatar{display:inline-flex;align-items:center;justify-content:center;width:32px;height:32px;border-radius:50%;background:#6b7cff;color:#fff;font-size:.8rem;font-weight:600;flex:none}
.layout{display:grid;grid-template-columns:248px minmax(0,1fr);align-items:start}
.sidebar{position:sticky;top:56px;height:calc(100vh - 56px);overflow-y:auto;border-right:1px solid #e1e4ea;background:#fff}
.sidebar-inner{padding:16px 12px}
.nav-group{margin-bottom:18px}
.nav-title{margin:0 8px 6px;font-size:.72rem;text-transform:uppercase;letter-spacing:.06em;color:#7a8194}
.nav-link{display:flex;align-items:center;gap:8px;padding:6px 8px;border-radius:6px;color:#2b3142}
.nav-link:hover{background:#f0f2f6;text-decoration:none}
.nav-link .label{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.count{min-width:22px;padding:0 6px;border-radius:10px;background:#eef0f5;font-size:.75rem;text-align:center;color:#596075}
.content{min-width:0;padding:24px 28px 48px}
.page{max-width:1400px;margin:0 auto}
.breadcrumbs ol{display:flex;gap:6px;font-size:.85rem;color:#7a8194}
.breadcrumbs li+li::before{content:"/";margin-right:6px;color:#b0b5c3}
.page-header{display:flex;flex-wrap:wrap;align-items:flex-end;gap:12px 24px;margin-bottom:20px}
.page-header .titles{flex:1;min-width:280px}
.subtitle{color:#596075}
.toolbar{display:flex;gap:8px}
.btn{display:inline-flex;align-items:center;gap:6px;padding:7px 12px;border:1px solid #cfd4de;border-radius:6px;background:#fff;color:#1f2430;font:inherit;cursor:pointer}
.btn:hover{background:#f3f4f7}.btn-primary{border-color:#3355cc;background:#3355cc;color:#fff}.btn-primary:hover{background:#2a47ad}
.btn-sm{padding:4px 8px;font-size:.85rem}
.icon-btn{display:inline-flex;align-items:center;justify-content:center;width:30px;height:30px;border:0;border-radius:6px;background:transparent;color:inherit;cursor:pointer}
.icon-btn:hover{background:rgba(127,127,127,.15)}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:16px;margin-bottom:24px}
.stat{padding:14px 16px;border:1px solid #e1e4ea;border-radius:10px;background:#fff}
.stat-head{display:flex;justify-content:space-between;align-items:center;color:#596075;font-size:.85rem}
.stat-value{margin:6px 0 2px;font-size:1.6rem;font-weight:600}
.stat-delta{font-size:.8rem}.stat-delta.up{color:#1d8a4e}.stat-delta.down{color:#c2412d}
.panel{margin-bottom:24px;border:1px solid #e1e4ea;border-radius:10px;background:#fff}
.panel-header{display:flex;align-items:center;justify-content:space-between;gap:12px;padding:14px 16px;border-bottom:1px solid #eceef2}
.panel-actions,.filters{display:flex;align-items:center;gap:8px}
.card-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px;padding:16px}
.card{display:flex;flex-direction:column;border:1px solid #e1e4ea;border-radius:8px;background:#fff;overflow:hidden}
.card-header{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:12px 14px 6px}
.card-body{flex:1;padding:0 14px 10px;color:#3b4153}
.muted{color:#7a8194;font-size:.85rem}
.kv{margin:8px 0}.kv-row{display:flex;justify-content:space-between;padding:3px 0;border-bottom:1px dashed #eceef2}
.kv-row dt{color:#7a8194}.kv-row dd{margin:0;font-variant-numeric:tabular-nums}
.progress{height:6px;border-radius:3px;background:#eceef2;overflow:hidden}.progress-bar{height:100%;background:#3355cc}
.card-actions{display:flex;align-items:center;gap:8px;padding:10px 14px;border-top:1px solid #eceef2;background:#fafbfc}
.card-actions .link{margin-left:auto;font-size:.85rem}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.75rem;font-weight:600;background:#eef0f5;color:#596075}
.badge-ok{background:#e3f5ea;color:#1d8a4e}.badge-warn{background:#fdf1dc;color:#a8650b}.badge-error{background:#fce6e2;color:#c2412d}
.table-wrap{overflow-x:auto}
.data-table{width:100%;border-collapse:collapse;font-size:.9rem}
.data-table th{position:sticky;top:0;padding:8px 12px;background:#fafbfc;border-bottom:1px solid #e1e4ea;text-align:left;font-weight:600;color:#596075;white-space:nowrap}
.data-table td{padding:8px 12px;border-bottom:1px solid #eceef2;vertical-align:middle}
.data-table tbody tr:nth-child(even){background:#fcfcfd}.data-table tbody tr:hover{background:#f3f5fb}
.data-table .num{text-align:right;font-variant-numeric:tabular-nums}
.data-table .check{width:36px}
.status{display:inline-flex;align-items:center;gap:6px}.status::before{content:"";width:8px;height:8px;border-radius:50%;background:currentColor}
.status-paid{color:#1d8a4e}.status-pending{color:#a8650b}.status-failed{color:#c2412d}.status-refunded{color:#596075}
.row-actions{display:flex;justify-content:flex-end;gap:2px}
.activity{padding:4px 16px}
.activity-item{display:flex;align-items:flex-start;gap:12px;padding:10px 0;border-bottom:1px solid #eceef2}
.activity-item:last-child{border-bottom:0}
.activity-body{flex:1;min-width:0}.activity-body p{margin:0}
.activity-item time{color:#7a8194;font-size:.8rem;white-space:nowrap}
.settings-form{padding:16px}
.settings-form fieldset{margin:0;padding:0;border:0}
.settings-form legend{margin-bottom:12px;font-weight:600}
.form-grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:14px 20px}
.field{display:flex;flex-direction:column;gap:4px}
.field label{font-size:.85rem;color:#3b4153}
.field input,.field select,.field textarea{padding:7px 9px;border:1px solid #cfd4de;border-radius:6px;font:inherit;background:#fff}
.field input:focus,.field select:focus,.field textarea:focus{outline:2px solid #9fb0f0;border-color:#3355cc}
.field-wide{grid-column:1/-1}
.form-actions{display:flex;justify-content:flex-end;gap:8px;margin-top:16px}
.active{box-shadow:inset 0 0 0 2px #9fb0f0}
@media (max-width:1100px){.layout{grid-template-columns:1fr}.sidebar{display:none}.form-grid{grid-template-columns:1fr}}`

const ICONS = [
  'M2 8h12M8 2v12',
  'M3 3h10v10H3z',
  'M2 12l4-4 3 3 5-6',
  'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1zm0 3v4l3 2',
  'M6 2l-4 6 4 6m4-12l4 6-4 6',
  'M11 11l3 3M7 12A5 5 0 1 0 7 2a5 5 0 0 0 0 10z'
]
const NAV = ['Dashboard', 'Orders', 'Products', 'Customers', 'Invoices', 'Reports', 'Settings']
const STATUSES = ['paid', 'pending', 'failed', 'refunded']
/** Elements a badge may be appended to (not void, not table structure, not SVG). */
const HOST_TAGS = new Set([
  'div',
  'li',
  'td',
  'p',
  'span',
  'header',
  'footer',
  'section',
  'article',
  'dd',
  'button',
  'a',
  'h2',
  'h3'
])

/**
 * A realistic admin dashboard: header with a flex nav and a search form, a sidebar of link lists, a main area with
 * stat tiles, then panels in turn (a CSS grid of cards, a table of orders, an activity list, a settings form) until
 * the snapshot has `nodes` serialized nodes. Numbers (cells, values, counts, times) are the texts that change later;
 * inputs go to the text fields, and added badges go into ordinary containers.
 */
function dashboardPage(random: () => number, nodes: number): GeneratedPage {
  const elementIds: number[] = []
  const textIds: number[] = []
  const fieldIds: number[] = []
  const hostIds: number[] = []
  const hosts = new Set<number>()
  const classes = new Map<number, string>()
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const number = (max: number) => Math.floor(random() * max)
  const { root, body, nextId } = documentAround(1, DASHBOARD_CSS, (head, first) => {
    let at = first
    head.childNodes?.push(
      { type: 2, tagName: 'meta', attributes: { charset: 'utf-8' }, childNodes: [], id: at++ },
      {
        type: 2,
        tagName: 'meta',
        attributes: { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        childNodes: [],
        id: at++
      }
    )
    const title: SerializedNode = {
      type: 2,
      tagName: 'title',
      attributes: {},
      childNodes: [],
      id: at++
    }
    title.childNodes?.push({ type: 3, textContent: 'Orders · Acme Admin', id: at++ })
    head.childNodes?.push(title)
    return at
  })
  let id = nextId
  body.attributes = { class: 'theme-light' }
  const el = (
    parent: SerializedNode,
    tagName: string,
    attributes: Record<string, string | boolean> = {}
  ): SerializedNode => {
    const node: SerializedNode = { type: 2, tagName, attributes, childNodes: [], id: id++ }
    if (parent.isSVG || tagName === 'svg') node.isSVG = true
    parent.childNodes?.push(node)
    elementIds.push(node.id)
    if (typeof attributes.class === 'string') classes.set(node.id, attributes.class)
    if (
      tagName === 'textarea' ||
      (tagName === 'input' && ['text', 'search', 'email'].includes(String(attributes.type)))
    )
      fieldIds.push(node.id)
    if (HOST_TAGS.has(tagName)) {
      hostIds.push(node.id)
      hosts.add(node.id)
    }
    return node
  }
  /** Appends a text node to `parent` (a changing one when `live`) and returns `parent`. */
  const text = (parent: SerializedNode, content: string, live = false): SerializedNode => {
    const node: SerializedNode = { type: 3, textContent: content, id: id++ }
    parent.childNodes?.push(node)
    if (live) textIds.push(node.id)
    return parent
  }
  const icon = (parent: SerializedNode) => {
    const svg = el(parent, 'svg', { class: 'icon', viewBox: '0 0 16 16', 'aria-hidden': 'true' })
    el(svg, 'path', { d: pick(ICONS) })
  }
  const button = (parent: SerializedNode, label: string, kind = 'btn') => {
    const node = el(parent, 'button', { type: 'button', class: kind })
    if (random() < 0.3) icon(node)
    text(el(node, 'span'), label)
  }
  const iconButton = (parent: SerializedNode, label: string) =>
    icon(el(parent, 'button', { type: 'button', class: 'icon-btn', 'aria-label': label }))
  const panel = (parent: SerializedNode, kind: string, title: string): SerializedNode => {
    const section = el(parent, 'section', { class: `panel ${kind}` })
    const header = el(section, 'div', { class: 'panel-header' })
    text(el(header, 'h2'), title)
    return section
  }
  /** Links as rrweb records them: absolute (its snapshot resolves href against the page). */
  const url = (path: string) => `https://app.bench.test${path}`
  const money = () => `$${number(5000)}.${String(number(100)).padStart(2, '0')}`

  // Header: brand, nav, search, actions.
  const app = el(el(body, 'div', { id: 'root' }), 'div', { class: 'app' })
  const topbar = el(el(app, 'header', { class: 'topbar' }), 'div', { class: 'topbar-inner' })
  const brand = el(topbar, 'a', { class: 'brand', href: url('/') })
  icon(brand)
  text(el(brand, 'span'), 'Acme Admin')
  const navList = el(el(topbar, 'nav', { class: 'main-nav', 'aria-label': 'Main' }), 'ul')
  for (const [i, label] of NAV.entries())
    text(
      el(el(navList, 'li', i === 1 ? { class: 'active' } : {}), 'a', {
        href: url(`/${label.toLowerCase()}`)
      }),
      label
    )
  const search = el(topbar, 'form', { class: 'global-search', role: 'search' })
  icon(search)
  el(search, 'input', {
    type: 'search',
    name: 'q',
    placeholder: 'Search orders, customers…',
    value: ''
  })
  const actions = el(topbar, 'div', { class: 'topbar-actions' })
  for (const label of ['Notifications', 'Help']) iconButton(actions, label)
  text(el(el(actions, 'div', { class: 'avatar' }), 'span'), 'JD')

  // Sidebar: groups of links with counts.
  const layout = el(app, 'div', { class: 'layout' })
  const sideNav = el(
    el(el(layout, 'aside', { class: 'sidebar' }), 'div', { class: 'sidebar-inner' }),
    'nav',
    { class: 'side-nav' }
  )
  for (const group of ['Sales', 'Catalog', 'Customers', 'Finance', 'Reports', 'Workspace']) {
    const section = el(sideNav, 'section', { class: 'nav-group' })
    text(el(section, 'h3', { class: 'nav-title' }), group)
    const list = el(section, 'ul', { class: 'nav-list' })
    for (let i = 0; i < 7; i++) {
      const link = el(el(list, 'li'), 'a', {
        class: 'nav-link',
        href: url(`/${group.toLowerCase()}/${i}`)
      })
      icon(link)
      text(el(link, 'span', { class: 'label' }), words(random))
      if (random() < 0.5) text(el(link, 'span', { class: 'count' }), String(number(200)), true)
    }
  }

  // Main: page header, stat tiles, then panels until the snapshot is big enough.
  const page = el(el(layout, 'main', { class: 'content' }), 'div', { class: 'page' })
  const pageHeader = el(page, 'div', { class: 'page-header' })
  const titles = el(pageHeader, 'div', { class: 'titles' })
  const crumbs = el(el(titles, 'nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumb' }), 'ol')
  for (const label of ['Home', 'Sales', 'Orders'])
    text(el(el(crumbs, 'li'), 'a', { href: url('/orders#') }), label)
  text(el(titles, 'h1'), 'Orders')
  text(
    el(titles, 'p', { class: 'subtitle' }),
    'Every order of the last 30 days, with payment and shipping status.'
  )
  const toolbar = el(pageHeader, 'div', { class: 'toolbar' })
  button(toolbar, 'Export')
  button(toolbar, 'Filters')
  button(toolbar, 'New order', 'btn btn-primary')
  const stats = el(page, 'section', { class: 'stats' })
  for (const label of [
    'Revenue',
    'Orders',
    'Average order',
    'Refunds',
    'New customers',
    'Conversion'
  ]) {
    const stat = el(stats, 'div', { class: 'stat' })
    const head = el(stat, 'div', { class: 'stat-head' })
    text(el(head, 'span', { class: 'stat-label' }), label)
    icon(head)
    text(el(stat, 'div', { class: 'stat-value' }), money(), true)
    const up = random() < 0.6
    text(
      el(el(stat, 'div', { class: `stat-delta ${up ? 'up' : 'down'}` }), 'span'),
      `${up ? '+' : '−'}${number(30)}.${number(10)}%`,
      true
    )
  }

  const panels: Array<(parent: SerializedNode) => void> = [
    (parent) => {
      const section = panel(parent, 'cards-panel', 'Open orders')
      button(
        el(section.childNodes?.[0] as SerializedNode, 'div', { class: 'panel-actions' }),
        'View all',
        'btn btn-sm'
      )
      const grid = el(section, 'div', { class: 'card-grid' })
      for (let i = 0; i < 16 && id < nodes; i++) {
        const card = el(grid, 'article', { class: 'card' })
        const header = el(card, 'header', { class: 'card-header' })
        text(el(header, 'h3', { class: 'card-title' }), `Order #${10_000 + number(90_000)}`)
        const status = pick(STATUSES)
        text(
          el(header, 'span', {
            class: `badge ${status === 'paid' ? 'badge-ok' : status === 'failed' ? 'badge-error' : 'badge-warn'}`
          }),
          status
        )
        const cardBody = el(card, 'div', { class: 'card-body' })
        const lead = el(cardBody, 'p')
        text(lead, `${words(random)} `)
        text(el(lead, 'strong'), money(), true)
        text(el(cardBody, 'p', { class: 'muted' }), words(random))
        const kv = el(cardBody, 'dl', { class: 'kv' })
        for (const key of ['Items', 'Shipping', 'Updated']) {
          const row = el(kv, 'div', { class: 'kv-row' })
          text(el(row, 'dt'), key)
          text(el(row, 'dd'), String(number(100)), true)
        }
        el(el(cardBody, 'div', { class: 'progress' }), 'div', {
          class: 'progress-bar',
          style: `width:${number(100)}%`
        })
        const footer = el(card, 'footer', { class: 'card-actions' })
        button(footer, 'Fulfil', 'btn btn-sm btn-primary')
        button(footer, 'Message', 'btn btn-sm')
        text(el(footer, 'a', { class: 'link', href: url('/orders#') }), 'Details')
      }
    },
    (parent) => {
      const section = panel(parent, 'table-panel', 'Recent orders')
      const filters = el(section.childNodes?.[0] as SerializedNode, 'div', { class: 'filters' })
      el(filters, 'input', { type: 'search', placeholder: 'Filter…', value: '' })
      const select = el(filters, 'select', { name: 'status' })
      for (const status of ['any', ...STATUSES])
        text(
          el(
            select,
            'option',
            status === 'any' ? { value: status, selected: true } : { value: status }
          ),
          status
        )
      const table = el(el(section, 'div', { class: 'table-wrap' }), 'table', {
        class: 'data-table'
      })
      const headRow = el(el(table, 'thead'), 'tr')
      for (const label of ['', 'Order', 'Customer', 'Status', 'Total', 'Date', ''])
        text(el(headRow, 'th', label === 'Total' ? { class: 'num' } : {}), label)
      const tbody = el(table, 'tbody')
      for (let i = 0; i < 40 && id < nodes; i++) {
        const row = el(tbody, 'tr')
        el(el(row, 'td', { class: 'check' }), 'input', { type: 'checkbox', 'aria-label': 'Select' })
        text(el(el(row, 'td'), 'a', { href: url('/orders#') }), `#${10_000 + number(90_000)}`)
        text(el(row, 'td'), words(random))
        const status = pick(STATUSES)
        text(el(el(row, 'td'), 'span', { class: `status status-${status}` }), status, true)
        text(el(row, 'td', { class: 'num' }), money(), true)
        text(el(row, 'td'), `2026-10-${String(1 + number(28)).padStart(2, '0')}`)
        const rowActions = el(el(row, 'td', { class: 'actions' }), 'div', { class: 'row-actions' })
        iconButton(rowActions, 'More')
      }
    },
    (parent) => {
      const list = el(panel(parent, 'list-panel', 'Activity'), 'ul', { class: 'activity' })
      for (let i = 0; i < 24 && id < nodes; i++) {
        const item = el(list, 'li', { class: 'activity-item' })
        text(el(el(item, 'div', { class: 'avatar' }), 'span'), pick(['JD', 'AK', 'MR', 'LS', 'TP']))
        const line = el(el(item, 'div', { class: 'activity-body' }), 'p')
        text(el(line, 'strong'), pick(['Jane Doe', 'Ari Kim', 'Mo Reyes', 'Lee Sato']))
        text(line, ` ${words(random)}`)
        text(el(item, 'time'), `${1 + number(59)} min ago`, true)
      }
    },
    (parent) => {
      const fieldset = el(
        el(panel(parent, 'form-panel', 'Store settings'), 'form', { class: 'settings-form' }),
        'fieldset'
      )
      text(el(fieldset, 'legend'), 'Checkout')
      const grid = el(fieldset, 'div', { class: 'form-grid' })
      for (const [i, label] of [
        'Store name',
        'Support email',
        'Currency',
        'Order prefix',
        'Tax rate',
        'Shipping note'
      ].entries()) {
        const field = el(grid, 'div', { class: i === 5 ? 'field field-wide' : 'field' })
        const fieldId = `field-${field.id}`
        text(el(field, 'label', { for: fieldId }), label)
        if (label === 'Currency') {
          const select = el(field, 'select', { id: fieldId })
          for (const currency of ['USD', 'EUR', 'GBP'])
            text(el(select, 'option', { value: currency }), currency)
        } else if (i === 5) el(field, 'textarea', { id: fieldId, rows: '3', value: words(random) })
        else
          el(field, 'input', {
            id: fieldId,
            type: label.includes('email') ? 'email' : 'text',
            value: words(random)
          })
      }
      const formActions = el(fieldset, 'div', { class: 'form-actions' })
      button(formActions, 'Cancel')
      button(formActions, 'Save', 'btn btn-primary')
    }
  ]
  for (let k = 0; id < nodes; k++)
    (panels[k % panels.length] as (parent: SerializedNode) => void)(page)

  return {
    root,
    nextId: id,
    elementIds,
    textIds,
    inputFor: (node) => fieldIds[node % fieldIds.length] as number,
    hostFor: (node) => (hosts.has(node) ? node : (hostIds[node % hostIds.length] as number)),
    classFor: (node) => {
      const base = classes.get(node)
      return random() < 0.5 ? `${base ? `${base} ` : ''}active` : (base ?? '')
    }
  }
}

/**
 * Writes a PostHog V2 export of one long recording with a single page load: Meta + one full snapshot (about 6.4k
 * nodes by default, of the page `options.page`), then many incrementals (mouse moves, clicks, scrolls, inputs,
 * text/attribute/add/remove mutations, console errors). The shape that makes seeking slow without keyframes.
 * Deterministic for a seed and page.
 */
export async function writeLongRecording(
  file: string,
  options: LongRecordingOptions
): Promise<{ events: number; bytes: number }> {
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
  const nodes = options.nodes ?? 6400
  const page =
    (options.page ?? 'dashboard') === 'dashboard'
      ? dashboardPage(random, nodes)
      : nestedFlexPage(random, nodes)
  const { root, elementIds, textIds } = page
  if (options.utilityRules) {
    const head = root.childNodes?.find((node) => node.tagName === 'html')?.childNodes?.find((node) => node.tagName === 'head')
    const style = head?.childNodes?.find((node) => node.tagName === 'style')
    if (style) style.attributes = { ...style.attributes, _cssText: `${String(style.attributes?._cssText ?? '')}\n${utilityStylesheet(options.utilityRules)}` }
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
  let nextId = page.nextId
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
          id: page.inputFor(node)
        }
      })
    } else if (r < 0.995) {
      const adds =
        random() < 0.3
          ? [
              {
                parentId: page.hostFor(node),
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
      if (adds.length > 0) added.push({ id: nextId++, parentId: adds[0]?.parentId as number })
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
              attributes: { class: page.classFor(node) }
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
