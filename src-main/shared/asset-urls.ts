/**
 * Finding, and optionally replacing, the URLs of images, stylesheets and fonts inside rrweb events.
 *
 * One walk serves two readers: the importer collects the URLs a recording references (so `assets fetch` can cache
 * them), and the player rewrites them to the app's own asset route before replay (so the replay never asks the
 * recorded site for anything). Pure TypeScript: runs in Node and in the renderer.
 */

/** The route both shells serve cached assets on: `GET /assets?url=<encoded absolute URL>` on the app's origin. */
export const ASSET_ROUTE_PATH = '/assets'

/** URLs longer than this are not assets worth caching (and are usually data smuggled into a query string). */
const MAX_ASSET_URL_LENGTH = 4096

/**
 * The app-local address of an asset: `<origin>/assets?url=…` plus any extra query (the web host's token).
 *
 * Absolute, because the replay iframe's own base URL is `about:blank`.
 */
export function toAssetRoute(
  url: string,
  origin: string,
  extraQuery: Record<string, string> = {}
): string {
  const query = new URLSearchParams({ url, ...extraQuery })
  return `${origin}${ASSET_ROUTE_PATH}?${query.toString()}`
}

/**
 * Resolves a URL found in a recording to an absolute http(s) URL without its fragment.
 *
 * Returns null for data:, blob:, javascript: and other non-http(s) URLs, for fragments (`#icon`), for relative URLs
 * when no base is known, and for anything that does not parse.
 */
export function resolveAssetUrl(raw: string, base?: string): string | null {
  // Pages repeat the same few hundred URLs thousands of times; URL parsing dominates a snapshot walk without this.
  const key = base === undefined || /^https?:\/\//i.test(raw) ? raw : `${base}\n${raw}`
  const cached = resolvedUrls.get(key)
  if (cached !== undefined) return cached
  const resolved = resolveAssetUrlUncached(raw, base)
  if (resolvedUrls.size >= MAX_RESOLVED_URLS) resolvedUrls.clear()
  resolvedUrls.set(key, resolved)
  return resolved
}

const MAX_RESOLVED_URLS = 20_000
const resolvedUrls = new Map<string, string | null>()

function resolveAssetUrlUncached(raw: string, base?: string): string | null {
  const value = raw.trim()
  if (value === '' || value.startsWith('#') || value.length > MAX_ASSET_URL_LENGTH) return null
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase()
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return null
  let parsed: URL
  try {
    parsed = base === undefined ? new URL(value) : new URL(value, base)
  } catch {
    return null
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null
  parsed.hash = ''
  return parsed.href
}

/** One candidate of a `srcset` attribute. */
export type SrcsetCandidate = { url: string; descriptor: string }

/** Splits a `srcset` value into its candidates, following the HTML parsing rules (URLs may contain commas). */
export function parseSrcset(value: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = []
  let i = 0
  const n = value.length
  while (i < n) {
    while (i < n && (isSpace(value[i]) || value[i] === ',')) i++
    if (i >= n) break
    const urlStart = i
    while (i < n && !isSpace(value[i])) i++
    let url = value.slice(urlStart, i)
    let descriptor = ''
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '')
    } else {
      const descriptorStart = i
      let depth = 0
      while (i < n) {
        const c = value[i]
        if (c === '(') depth++
        else if (c === ')') depth = Math.max(0, depth - 1)
        else if (c === ',' && depth === 0) break
        i++
      }
      descriptor = value.slice(descriptorStart, i).trim()
    }
    if (url !== '') candidates.push({ url, descriptor })
  }
  return candidates
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f'
}

/** Called with each absolute asset URL; return a replacement to rewrite it in place, or undefined to keep it. */
export type AssetUrlVisitor = (absoluteUrl: string) => string | undefined

const CSS_URL_PATTERN =
  /url\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|((?:[^)"'\s\\]|\\.)*))\s*\)|@import\s+(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')/gi

/**
 * Visits every `url(…)` and `@import "…"` in a piece of CSS and returns the CSS with any replacements made.
 *
 * Relative URLs resolve against `base` (the stylesheet's own URL or the page's). URLs the visitor does not replace,
 * and those that are not http(s), are left exactly as written.
 */
export function mapCssUrls(cssText: string, visit: AssetUrlVisitor, base?: string): string {
  if (!cssText.includes('url(') && !cssText.includes('URL(') && !/@import/i.test(cssText))
    return cssText
  return cssText.replace(
    CSS_URL_PATTERN,
    (
      match,
      dq: string | undefined,
      sq: string | undefined,
      bare: string | undefined,
      idq: string | undefined,
      isq: string | undefined
    ) => {
      const isImport = idq !== undefined || isq !== undefined
      const raw = unescapeCss(dq ?? sq ?? bare ?? idq ?? isq ?? '')
      const absolute = resolveAssetUrl(raw, base)
      if (absolute === null) return match
      const replacement = visit(absolute)
      if (replacement === undefined) return match
      const quoted = `"${replacement.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\a ' : `\\${c}`))}"`
      return isImport ? `@import ${quoted}` : `url(${quoted})`
    }
  )
}

function unescapeCss(value: string): string {
  return value.includes('\\') ? value.replace(/\\(.)/g, '$1') : value
}

/**
 * What a walk remembers between the events of one window: the page URL from the Meta event, and which node ids are
 * elements whose attributes matter (so an attribute mutation on a link's `href` counts, one on an anchor's does not).
 */
export type AssetScanState = {
  base: string | undefined
  tagById: Map<number, string>
  styleTextIds: Set<number>
}

/** Fresh state for walking one window's events in order. */
export function createAssetScanState(base?: string): AssetScanState {
  return { base, tagById: new Map(), styleTextIds: new Set() }
}

const TRACKED_TAGS = new Set([
  'img',
  'source',
  'video',
  'input',
  'link',
  'image',
  'use',
  'table',
  'td',
  'th',
  'body',
  'script',
  'iframe',
  'a',
  'area',
  'style'
])

const EVENT_FULL_SNAPSHOT = 2
const EVENT_INCREMENTAL = 3
const EVENT_META = 4
const SOURCE_MUTATION = 0
const SOURCE_STYLE_SHEET_RULE = 8
const SOURCE_FONT = 10
const SOURCE_STYLE_DECLARATION = 13
const SOURCE_ADOPTED_STYLE_SHEET = 15
const NODE_DOCUMENT = 0
const NODE_ELEMENT = 2
const NODE_TEXT = 3

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Visits the asset URLs of one rrweb event, rewriting them in place where the visitor returns a replacement.
 *
 * Covers FullSnapshot node trees (walked iteratively: real trees are deep enough to overflow a recursive walk),
 * Mutation `adds`, `attributes` and style `texts`, style sheet rule and declaration events, adopted style sheets and
 * font loads: img src/srcset, picture source srcset, video poster, input type=image, link rel=stylesheet (and
 * preloads of styles, fonts, images), SVG image/use, legacy `background`, CSS `url()` and `@import` in style
 * elements, `_cssText` and inline `style` attributes. Relative URLs resolve against `<base href>`, else `base`, else
 * the page URL of the last Meta event seen through `state`.
 */
export function mapEventAssetUrls(
  event: unknown,
  visit: AssetUrlVisitor,
  base?: string,
  state?: AssetScanState
): void {
  if (!isObject(event) || !isObject(event.data)) return
  const data = event.data
  if (event.type === EVENT_META) {
    if (state !== undefined && typeof data.href === 'string') state.base = data.href
    return
  }
  const pageBase = base ?? state?.base
  if (event.type === EVENT_FULL_SNAPSHOT) {
    if (state !== undefined) {
      state.tagById.clear()
      state.styleTextIds.clear()
    }
    walkNodeTree(data.node, visit, pageBase, state)
    return
  }
  if (event.type !== EVENT_INCREMENTAL) return
  switch (data.source) {
    case SOURCE_MUTATION:
      mapMutation(data, visit, pageBase, state)
      return
    case SOURCE_STYLE_SHEET_RULE:
      mapRuleList(data.adds, visit, pageBase)
      return
    case SOURCE_STYLE_DECLARATION:
      if (isObject(data.set) && typeof data.set.value === 'string') {
        data.set.value = mapCssUrls(data.set.value, visit, pageBase)
      }
      return
    case SOURCE_ADOPTED_STYLE_SHEET:
      if (Array.isArray(data.styles)) {
        for (const style of data.styles)
          if (isObject(style)) mapRuleList(style.rules, visit, pageBase)
      }
      return
    case SOURCE_FONT:
      if (data.buffer !== true && typeof data.fontSource === 'string') {
        data.fontSource = mapCssUrls(data.fontSource, visit, pageBase)
      }
      return
  }
}

function mapRuleList(rules: unknown, visit: AssetUrlVisitor, base: string | undefined): void {
  if (!Array.isArray(rules)) return
  for (const rule of rules) {
    if (isObject(rule) && typeof rule.rule === 'string')
      rule.rule = mapCssUrls(rule.rule, visit, base)
  }
}

function mapMutation(
  data: JsonObject,
  visit: AssetUrlVisitor,
  base: string | undefined,
  state?: AssetScanState
) {
  if (Array.isArray(data.adds)) {
    for (const add of data.adds) if (isObject(add)) walkNodeTree(add.node, visit, base, state)
  }
  if (Array.isArray(data.attributes)) {
    for (const change of data.attributes) {
      if (!isObject(change) || !isObject(change.attributes)) continue
      const tag = typeof change.id === 'number' ? state?.tagById.get(change.id) : undefined
      mapChangedAttributes(change.attributes, tag, visit, base)
    }
  }
  if (Array.isArray(data.texts) && state !== undefined) {
    for (const change of data.texts) {
      if (!isObject(change) || typeof change.id !== 'number' || typeof change.value !== 'string')
        continue
      if (state.styleTextIds.has(change.id)) change.value = mapCssUrls(change.value, visit, base)
    }
  }
}

/** Attributes changed by a mutation, where the element's tag may be unknown (`tag` undefined). */
function mapChangedAttributes(
  attributes: JsonObject,
  tag: string | undefined,
  visit: AssetUrlVisitor,
  base: string | undefined
): void {
  if (tag !== undefined) {
    mapElementAttributes(tag, attributes, visit, base, true)
    return
  }
  // Unknown element (no state, or a node we never saw): src/srcset/poster/background are asset attributes on every
  // element that loads anything, except scripts; an href counts only when it plainly names a stylesheet.
  for (const name of ['src', 'poster', 'background']) {
    const value = attributes[name]
    if (typeof value === 'string' && !/\.m?js(?:[?#]|$)/i.test(value)) {
      attributes[name] = mapSingleUrl(value, visit, base)
    }
  }
  if (typeof attributes.srcset === 'string')
    attributes.srcset = mapSrcset(attributes.srcset, visit, base)
  if (typeof attributes.href === 'string' && /\.css(?:[?#]|$)/i.test(attributes.href)) {
    attributes.href = mapSingleUrl(attributes.href, visit, base)
  }
  mapStyleAttribute(attributes, visit, base)
}

type WalkEntry = { node: unknown; base: string | undefined; parentTag: string | undefined }

function walkNodeTree(
  root: unknown,
  visit: AssetUrlVisitor,
  base: string | undefined,
  state?: AssetScanState
) {
  const stack: WalkEntry[] = [{ node: root, base, parentTag: undefined }]
  while (stack.length > 0) {
    const entry = stack.pop() as WalkEntry
    const node = entry.node
    if (!isObject(node)) continue
    let childBase = entry.base
    let tag: string | undefined
    if (node.type === NODE_DOCUMENT) {
      childBase = findBaseHref(node, entry.base) ?? entry.base
    } else if (node.type === NODE_ELEMENT && typeof node.tagName === 'string') {
      tag = node.tagName.toLowerCase()
      if (state !== undefined && typeof node.id === 'number' && TRACKED_TAGS.has(tag))
        state.tagById.set(node.id, tag)
      if (isObject(node.attributes))
        mapElementAttributes(tag, node.attributes, visit, entry.base, false)
    } else if (node.type === NODE_TEXT && typeof node.textContent === 'string') {
      if (node.isStyle === true || entry.parentTag === 'style') {
        if (state !== undefined && typeof node.id === 'number') state.styleTextIds.add(node.id)
        node.textContent = mapCssUrls(node.textContent, visit, entry.base)
      }
    }
    const children = node.childNodes
    if (Array.isArray(children)) {
      for (let i = children.length - 1; i >= 0; i--) {
        stack.push({ node: children[i], base: childBase, parentTag: tag })
      }
    }
  }
}

/** The `<base href>` of a serialized document (html > head > base), resolved against the page URL. */
function findBaseHref(documentNode: JsonObject, pageBase: string | undefined): string | undefined {
  for (const html of childElements(documentNode, 'html')) {
    for (const head of childElements(html, 'head')) {
      for (const baseElement of childElements(head, 'base')) {
        const href = isObject(baseElement.attributes) ? baseElement.attributes.href : undefined
        if (typeof href !== 'string') continue
        try {
          return new URL(href, pageBase).href
        } catch {
          return undefined
        }
      }
    }
  }
  return undefined
}

function childElements(node: JsonObject, tagName: string): JsonObject[] {
  if (!Array.isArray(node.childNodes)) return []
  return node.childNodes.filter(
    (child): child is JsonObject =>
      isObject(child) &&
      child.type === NODE_ELEMENT &&
      typeof child.tagName === 'string' &&
      child.tagName.toLowerCase() === tagName
  )
}

function mapElementAttributes(
  tag: string,
  attributes: JsonObject,
  visit: AssetUrlVisitor,
  base: string | undefined,
  isMutation: boolean
): void {
  // Plain functions rather than closures: this runs for every element of every snapshot.
  switch (tag) {
    case 'img':
      mapUrlAttribute(attributes, 'src', visit, base)
      mapSrcsetAttribute(attributes, visit, base)
      break
    case 'source':
      mapSrcsetAttribute(attributes, visit, base)
      break
    case 'video':
      mapUrlAttribute(attributes, 'poster', visit, base)
      break
    case 'input':
      // A mutation may change src without repeating type; the tag is known, so take it.
      if (
        isMutation ||
        (typeof attributes.type === 'string' && attributes.type.toLowerCase() === 'image')
      ) {
        mapUrlAttribute(attributes, 'src', visit, base)
      }
      break
    case 'link':
      if (typeof attributes._cssText === 'string') {
        attributes._cssText = mapCssUrls(attributes._cssText, visit, base)
      } else if (isMutation || isAssetLink(attributes)) {
        mapUrlAttribute(attributes, 'href', visit, base)
      }
      break
    case 'style':
      if (typeof attributes._cssText === 'string') {
        attributes._cssText = mapCssUrls(attributes._cssText, visit, base)
      }
      break
    case 'image':
    case 'use':
      for (const name of ['href', 'xlink:href']) {
        const value = attributes[name]
        if (typeof value === 'string' && !value.startsWith('#'))
          mapUrlAttribute(attributes, name, visit, base)
      }
      break
    case 'body':
    case 'table':
    case 'td':
    case 'th':
      mapUrlAttribute(attributes, 'background', visit, base)
      break
  }
  mapStyleAttribute(attributes, visit, base)
}

function mapUrlAttribute(
  attributes: JsonObject,
  name: string,
  visit: AssetUrlVisitor,
  base: string | undefined
): void {
  const value = attributes[name]
  if (typeof value === 'string') attributes[name] = mapSingleUrl(value, visit, base)
}

function mapSrcsetAttribute(
  attributes: JsonObject,
  visit: AssetUrlVisitor,
  base: string | undefined
): void {
  if (typeof attributes.srcset === 'string')
    attributes.srcset = mapSrcset(attributes.srcset, visit, base)
}

function isAssetLink(attributes: JsonObject): boolean {
  const rel = typeof attributes.rel === 'string' ? attributes.rel.toLowerCase().split(/\s+/) : []
  if (rel.includes('stylesheet')) return true
  if (rel.includes('preload') || rel.includes('prefetch')) {
    const as = typeof attributes.as === 'string' ? attributes.as.toLowerCase() : ''
    return as === 'style' || as === 'font' || as === 'image'
  }
  return false
}

/** Inline `style`: a string in snapshots, and in mutations either a string or a per-property diff object. */
function mapStyleAttribute(
  attributes: JsonObject,
  visit: AssetUrlVisitor,
  base: string | undefined
): void {
  const style = attributes.style
  if (typeof style === 'string') {
    attributes.style = mapCssUrls(style, visit, base)
  } else if (isObject(style)) {
    for (const [property, value] of Object.entries(style)) {
      if (typeof value === 'string') {
        style[property] = mapCssUrls(value, visit, base)
      } else if (Array.isArray(value) && typeof value[0] === 'string') {
        value[0] = mapCssUrls(value[0], visit, base)
      }
    }
  }
}

function mapSingleUrl(value: string, visit: AssetUrlVisitor, base: string | undefined): string {
  const absolute = resolveAssetUrl(value, base)
  if (absolute === null) return value
  return visit(absolute) ?? value
}

function mapSrcset(value: string, visit: AssetUrlVisitor, base: string | undefined): string {
  let changed = false
  const candidates = parseSrcset(value).map((candidate) => {
    const absolute = resolveAssetUrl(candidate.url, base)
    const replacement = absolute === null ? undefined : visit(absolute)
    if (replacement === undefined) return candidate
    changed = true
    return { url: replacement, descriptor: candidate.descriptor }
  })
  if (!changed) return value
  return candidates
    .map((c) => (c.descriptor === '' ? c.url : `${c.url} ${c.descriptor}`))
    .join(', ')
}

/**
 * Rewrites, in place, every asset URL of one event to `toLocalUrl(url)` (the app's asset route).
 *
 * The player calls this on each event before handing it to rrweb, passing the same `state` for every event of a
 * window in order, so relative URLs resolve against the page and attribute changes are recognised by element.
 */
export function rewriteEventAssetUrls(
  event: unknown,
  toLocalUrl: (absoluteUrl: string) => string,
  state?: AssetScanState
): void {
  mapEventAssetUrls(event, toLocalUrl, undefined, state)
}
