/**
 * Keeps a replay from reaching the recorded site.
 *
 * Images, stylesheets and fonts are pointed at the app's asset route (`rewriteEventAssetUrls`, shared with the
 * importer that collects them). Everything else in a recording that could make the replay iframe load something
 * from elsewhere is removed: iframe `src`/`srcdoc`, script `src`, `<link>`s that are not stylesheets (preconnect,
 * prefetch, icons, manifests), `<meta http-equiv="refresh">`, object/embed/media sources. The sandbox (no
 * `allow-scripts`) and the app's CSP are the second and third lines of defence.
 */
import { createAssetScanState, rewriteEventAssetUrls, toAssetRoute, type AssetScanState } from '@shared/asset-urls'

const EVENT_FULL_SNAPSHOT = 2
const EVENT_INCREMENTAL = 3
const SOURCE_MUTATION = 0
const NODE_ELEMENT = 2

/** Attributes (per tag) that would load a resource and are not handled by the asset rewrite. */
const LOADING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  iframe: ['src', 'srcdoc'],
  frame: ['src'],
  script: ['src'],
  link: ['href', 'imagesrcset'],
  meta: ['content'],
  object: ['data', 'codebase'],
  embed: ['src'],
  audio: ['src'],
  video: ['src'],
  source: ['src'],
  track: ['src'],
  portal: ['src'],
  applet: ['code', 'codebase', 'archive']
}

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True for URLs that leave the app: absolute (or protocol-relative) http(s), ws(s) and ftp URLs elsewhere. */
export function isOutsideUrl(value: string, appOrigin: string): boolean {
  const trimmed = value.trim()
  if (trimmed.startsWith('//')) return true
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)
  if (!match) return false
  const scheme = (match[1] as string).toLowerCase()
  if (!['http', 'https', 'ws', 'wss', 'ftp'].includes(scheme)) return false
  try {
    return new URL(trimmed).origin !== appOrigin
  } catch {
    return true
  }
}

/** Per-window state: tags by node id (for attribute mutations), and the asset walker's own state. */
export type IsolationState = { tagById: Map<number, string>; assets: AssetScanState }

export function createIsolationState(): IsolationState {
  return { tagById: new Map(), assets: createAssetScanState() }
}

function neutralize(tag: string, attributes: JsonObject, appOrigin: string, isMutation: boolean): void {
  const names = LOADING_ATTRIBUTES[tag]
  if (!names) return
  const rel = typeof attributes.rel === 'string' ? attributes.rel.toLowerCase() : ''
  for (const name of names) {
    const value = attributes[name]
    if (typeof value !== 'string') continue
    let isRisky: boolean
    if (name === 'srcdoc') isRisky = true
    else if (tag === 'meta') isRisky = /url\s*=/i.test(value) && /refresh/i.test(String(attributes['http-equiv'] ?? 'refresh'))
    else if (tag === 'link' && name === 'href' && rel.split(/\s+/).includes('stylesheet')) isRisky = isOutsideUrl(value, appOrigin)
    else isRisky = isOutsideUrl(value, appOrigin) || (tag === 'iframe' && name === 'src' && value.trim() !== '')
    if (!isRisky) continue
    if (isMutation) attributes[name] = null
    else delete attributes[name]
  }
}

function walk(root: unknown, state: IsolationState, appOrigin: string): void {
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (!isObject(node)) continue
    if (node.type === NODE_ELEMENT && typeof node.tagName === 'string') {
      const tag = node.tagName.toLowerCase()
      if (typeof node.id === 'number') state.tagById.set(node.id, tag)
      if (isObject(node.attributes)) neutralize(tag, node.attributes, appOrigin, false)
    }
    if (Array.isArray(node.childNodes)) for (const child of node.childNodes) stack.push(child)
  }
}

/**
 * Makes one rrweb event safe to replay offline, in place: asset URLs to `toAssetUrl(url)`, other outside loads
 * removed. Call it for each event of a window in order with that window's `state`.
 */
export function isolateEvent(
  event: unknown,
  state: IsolationState,
  appOrigin: string,
  toAssetUrl: (absoluteUrl: string) => string
): void {
  rewriteEventAssetUrls(event, toAssetUrl, state.assets)
  if (!isObject(event) || !isObject(event.data)) return
  if (event.type === EVENT_FULL_SNAPSHOT) {
    state.tagById.clear()
    walk(event.data.node, state, appOrigin)
    return
  }
  if (event.type !== EVENT_INCREMENTAL || event.data.source !== SOURCE_MUTATION) return
  const data = event.data
  if (Array.isArray(data.adds)) for (const add of data.adds) if (isObject(add)) walk(add.node, state, appOrigin)
  if (Array.isArray(data.attributes)) {
    for (const change of data.attributes) {
      if (!isObject(change) || !isObject(change.attributes) || typeof change.id !== 'number') continue
      const tag = state.tagById.get(change.id)
      if (tag) neutralize(tag, change.attributes, appOrigin, true)
      else if (typeof change.attributes.srcdoc === 'string') change.attributes.srcdoc = null
    }
  }
}

/** `isolateEvent` for each of a window's events in order (a chunk, a keyframe). */
export function isolateEvents(
  events: readonly unknown[],
  state: IsolationState,
  appOrigin: string,
  toAssetUrl: (absoluteUrl: string) => string
): void {
  for (const event of events) isolateEvent(event, state, appOrigin, toAssetUrl)
}

/**
 * The URL a cached asset is served from on this page's origin. Where the page has no usable origin (`file://`),
 * assets cannot be served, so they become an empty data URL rather than a request to the recorded site.
 */
export function assetUrlFor(appOrigin: string): (absoluteUrl: string) => string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/./i.test(appOrigin)) return () => 'data:,'
  return (absoluteUrl) => toAssetRoute(absoluteUrl, appOrigin)
}
