import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative } from 'node:path'
import { ASSET_ROUTE_PATH, toAssetRoute } from '../shared/asset-urls'
import { resolveAssetResponse } from '../assets/resolve-asset-response'
import type { ReadableDb } from '../db/types'
import { resolveStaticPath } from '../web/request-guards'
import { SECURITY_HEADERS } from '../web/web-host'
import { APP_HOST, APP_ORIGIN } from './app-origin'

export type AppProtocolOptions = {
  /** The built renderer (out/renderer). */
  rendererDir: string
  db: ReadableDb
  dataDir: string
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8'
}

/**
 * Answers a request on the app's own scheme (`app://tapedeck/…`): the built renderer's files with the app's CSP and
 * security headers, and `/assets?url=…` from the asset cache. Nothing here reaches the network or reads outside the
 * renderer folder and the data folder. The Electron shell registers it with `protocol.handle`.
 */
export async function handleAppRequest(
  request: Request,
  options: AppProtocolOptions
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed.')
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return text(400, 'Bad URL.')
  }
  if (url.host !== APP_HOST) return text(404, 'Not found.')
  const withBody = request.method === 'GET'
  if (url.pathname === ASSET_ROUTE_PATH) {
    const asset = resolveAssetResponse(
      options.db,
      options.dataDir,
      url.searchParams.get('url') ?? '',
      {
        toLocalUrl: (assetUrl) => toAssetRoute(assetUrl, APP_ORIGIN)
      }
    )
    return new Response(withBody ? Buffer.from(asset.body) : null, {
      status: asset.status,
      headers: asset.headers
    })
  }
  // The raw path (between the host and the query), so `..` and encoded tricks reach the guard as sent.
  const rawPath = request.url.slice(`${url.protocol}//${url.host}`.length).split(/[?#]/)[0] || '/'
  const filePath = resolveStaticPath(options.rendererDir, rawPath)
  if (filePath === null) return text(400, 'Bad path.')
  try {
    const realPath = await realpath(filePath)
    const rel = relative(await realpath(options.rendererDir), realPath)
    if (rel.startsWith('..') || isAbsolute(rel) || !(await stat(realPath)).isFile())
      return text(404, 'Not found.')
    const body = await readFile(realPath)
    return new Response(withBody ? body : null, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'content-type':
          CONTENT_TYPES[extname(realPath).toLowerCase()] ?? 'application/octet-stream',
        'content-length': String(body.byteLength),
        'cache-control': 'no-cache'
      }
    })
  } catch {
    return text(404, 'Not found.')
  }
}

function text(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store'
    }
  })
}
