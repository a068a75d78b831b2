import { mapCssUrls, resolveAssetUrl } from '../shared/asset-urls'
import type { ReadableDb } from '../db/types'
import { getAsset } from './asset-queries'
import { readAssetFileSync } from './asset-store'

/** A response for the asset route, for the web host to write and the Electron protocol handler to wrap. */
export type AssetResponse = {
  status: 200 | 400 | 404
  headers: Record<string, string>
  body: Uint8Array
}

export type ResolveAssetOptions = {
  /**
   * Maps an absolute URL to the app's asset route. When given, `url()`s and `@import`s inside a cached stylesheet
   * are rewritten with it, so the fonts and images it names also come from the cache.
   */
  toLocalUrl?: (absoluteUrl: string) => string
}

// Asset bodies come from arbitrary sites. These headers keep one from acting as a document of the app's origin if it
// is ever opened directly (an SVG with a script, HTML served as an image): no sniffing, no scripts, nothing loaded.
const SAFETY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; sandbox",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer'
}

/**
 * The cached copy of an asset, as an HTTP-style response. Never touches the network.
 *
 * 200 with the stored body and type; 404 when the URL was never fetched (or its file is gone): the replay shows a
 * missing image, as the site would have; 400 when `url` is not an absolute http(s) URL.
 */
export function resolveAssetResponse(
  db: ReadableDb,
  dataDir: string,
  url: string,
  options: ResolveAssetOptions = {}
): AssetResponse {
  const absolute = resolveAssetUrl(url)
  if (absolute === null) return textResponse(400, 'Not an absolute http(s) URL.')
  const asset = getAsset(db, absolute)
  if (asset === undefined || asset.status !== 'fetched' || asset.contentHash === null) {
    return textResponse(404, 'Not in the asset cache.')
  }
  const stored = readAssetFileSync(dataDir, asset.contentHash)
  if (stored === null) return textResponse(404, 'The cached file is missing; fetch assets again.')
  const mime = asset.mime ?? 'application/octet-stream'
  let body: Uint8Array = stored
  if (mime === 'text/css' && options.toLocalUrl !== undefined) {
    const toLocalUrl = options.toLocalUrl
    body = Buffer.from(
      mapCssUrls(stored.toString('utf8'), (u) => toLocalUrl(u), absolute),
      'utf8'
    )
  }
  return {
    status: 200,
    headers: {
      ...SAFETY_HEADERS,
      'content-type': mime === 'text/css' ? 'text/css; charset=utf-8' : mime,
      'content-length': String(body.byteLength),
      'cache-control': 'private, max-age=3600'
    },
    body
  }
}

function textResponse(status: 400 | 404, message: string): AssetResponse {
  const body = Buffer.from(message, 'utf8')
  return {
    status,
    headers: {
      ...SAFETY_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      'content-length': String(body.byteLength),
      'cache-control': 'no-store'
    },
    body
  }
}
