/**
 * The web host: the contract over HTTP on loopback, plus the built renderer, guarded by a per-run token.
 *
 * Routes (all behind the token, the Host check and the Origin check):
 * - `POST /api/invoke/<channel>`: body is the JSON array of arguments; the answer is JSON, or
 *   `application/octet-stream` when the handler returns bytes (`Uint8Array`), or 204 when it returns nothing.
 *   Bad arguments get 400 `{ error }`, an unknown channel 404, a handler that throws 500.
 * - `GET /api/events`: server-sent events, one `event: <channel>` frame per `EventChannels` push.
 * - extra GET routes (e.g. the asset cache at `/assets`) by exact path, then the renderer's static files.
 *
 * The token arrives once as `?token=` on a page URL; the host answers with an HttpOnly SameSite=Strict cookie and
 * a redirect to the same URL without it. Scripts may send the `x-tapedeck-token` header instead.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, relative, isAbsolute } from 'node:path'
// Relative, not `@shared/…`: this module's values are loaded at run time by tsx, which does not map the alias.
import { isInvokeChannel, type ApiHandlers, type InvokeChannel } from '../shared/ipc-contract'
import { validateArgs } from '../api/validators'
import { formatCsp } from './content-security-policy'
import type { EventHub } from './event-stream'
import {
  createToken,
  isHostAllowed,
  isOriginAllowed,
  isTokenEqual,
  presentedToken,
  resolveStaticPath,
  tokenCookie
} from './request-guards'

/** An extra GET route served behind the same guards (the asset cache adds one). */
export type WebRoute = {
  /** Exact path, e.g. `/assets` (the renderer's own files live under `/static/`). */
  path: string
  handle: (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>
}

export type WebHostOptions = {
  api: ApiHandlers
  /** Folder holding the built renderer (`index.html` and `assets/`). */
  rendererDir: string
  /** Interface to bind; loopback unless the caller asks otherwise. */
  host?: string
  /** 0 picks a free port. */
  port?: number
  /** Fixed token (tests); a random one otherwise. */
  token?: string
  events?: EventHub
  routes?: WebRoute[]
  /** Where request failures are reported (stderr in the CLI). */
  log?: (message: string) => void
}

export type WebHost = {
  /** The URL to open: origin, `/` and the token. */
  url: string
  origin: string
  host: string
  port: number
  token: string
  server: Server
  close: () => Promise<void>
}

const MAX_BODY_BYTES = 1024 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

/** Headers sent on every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': formatCsp(),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
}

/** Starts the web host and resolves once it listens. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const bindHost = options.host ?? '127.0.0.1'
  const token = options.token ?? createToken()
  const log = options.log ?? (() => undefined)
  let port = 0

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      log(`web host: ${req.method} ${req.url}: ${describe(error)}`)
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host
    if (!isHostAllowed(host, bindHost, port)) return sendText(res, 421, 'Unknown host name.')
    const secFetchSite = header(req, 'sec-fetch-site')
    if (!isOriginAllowed(header(req, 'origin'), host, secFetchSite)) {
      return sendText(res, 403, 'Cross-origin requests are refused.')
    }
    const url = new URL(req.url ?? '/', `http://${host}`)
    const isApi = url.pathname.startsWith('/api/')

    const offered = url.searchParams.get('token')
    if (offered !== null && !isApi && (req.method === 'GET' || req.method === 'HEAD')) {
      if (!isTokenEqual(offered, token)) return sendUnauthorized(res, false)
      url.searchParams.delete('token')
      const location = url.pathname + (url.search === '?' ? '' : url.search)
      res.writeHead(302, { ...SECURITY_HEADERS, 'set-cookie': tokenCookie(port, token), location, 'cache-control': 'no-store' })
      res.end()
      return
    }
    if (!isTokenEqual(presentedToken(req.headers as Record<string, string>, port), token)) {
      return sendUnauthorized(res, isApi)
    }

    if (url.pathname.startsWith('/api/invoke/')) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' })
      return invoke(req, res, url.pathname.slice('/api/invoke/'.length))
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' })
      if (!options.events) return sendJson(res, 404, { error: 'no event stream' })
      options.events.attach(res)
      return
    }
    if (isApi) return sendJson(res, 404, { error: 'no such endpoint' })
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.')
    const route = options.routes?.find((r) => r.path === url.pathname)
    if (route) return route.handle(req, res, url)
    // The raw path, not `url.pathname`: URL parsing folds `.`/`..` (even `%2e%2e`) away, and the guard should see
    // (and refuse) what the client actually sent.
    return serveStatic(req, res, (req.url ?? '/').split('?')[0] ?? '/')
  }

  async function invoke(req: IncomingMessage, res: ServerResponse, rawChannel: string): Promise<void> {
    let channel: string
    try {
      channel = decodeURIComponent(rawChannel)
    } catch {
      return sendJson(res, 400, { error: 'bad channel name' })
    }
    if (!isInvokeChannel(channel)) return sendJson(res, 404, { error: `unknown channel "${channel}"` })
    const body = await readBody(req)
    if (body === null) return sendJson(res, 413, { error: 'request body too large' })
    let args: unknown
    try {
      args = body.length === 0 ? [] : JSON.parse(body.toString('utf8'))
    } catch {
      return sendJson(res, 400, { error: 'body must be a JSON array of arguments' })
    }
    const validated = validateArgs(channel, args)
    if (!validated.ok) return sendJson(res, 400, { error: validated.message })
    const handler = options.api[channel] as (...a: unknown[]) => unknown
    let result: unknown
    try {
      result = await handler(...(validated.args as unknown[]))
    } catch (error) {
      log(`web host: ${channel} failed: ${describe(error)}`)
      return sendJson(res, 500, { error: `${channel} failed: ${error instanceof Error ? error.message : String(error)}` })
    }
    sendResult(res, channel, result)
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const filePath = resolveStaticPath(options.rendererDir, pathname)
    if (filePath === null) return sendText(res, 400, 'Bad path.')
    let stat
    let realPath: string
    try {
      realPath = realpathSync(filePath)
      stat = statSync(realPath)
    } catch {
      return sendText(res, 404, 'Not found.')
    }
    const rel = relative(realpathSync(options.rendererDir), realPath)
    if (rel.startsWith('..') || isAbsolute(rel) || !stat.isFile()) return sendText(res, 404, 'Not found.')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(realPath).toLowerCase()] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': pathname.startsWith('/static/') ? 'private, max-age=31536000, immutable' : 'no-cache'
    })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    createReadStream(realPath).pipe(res)
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject)
      resolvePromise()
    })
  })
  port = (server.address() as AddressInfo).port
  const urlHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost
  const origin = `http://${urlHost}:${port}`

  return {
    url: `${origin}/?token=${token}`,
    origin,
    host: bindHost,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolvePromise) => {
        options.events?.close()
        server.close(() => resolvePromise())
        server.closeAllConnections()
      })
  }
}

function sendResult(res: ServerResponse, channel: InvokeChannel, result: unknown): void {
  if (result instanceof Uint8Array) {
    const bytes = Buffer.from(result.buffer, result.byteOffset, result.byteLength)
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
      'cache-control': 'no-store'
    })
    res.end(bytes)
    return
  }
  if (result === undefined) {
    res.writeHead(204, { ...SECURITY_HEADERS, 'cache-control': 'no-store' })
    res.end()
    return
  }
  let body: string
  try {
    body = JSON.stringify(result)
  } catch (error) {
    return sendJson(res, 500, { error: `${channel}: result is not serialisable: ${describe(error)}` })
  }
  sendRaw(res, 200, 'application/json; charset=utf-8', body)
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolvePromise(tooLarge ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function sendUnauthorized(res: ServerResponse, isApi: boolean): void {
  if (isApi) return sendJson(res, 401, { error: 'missing or wrong token' })
  sendRaw(
    res,
    401,
    'text/html; charset=utf-8',
    '<!doctype html><meta charset="utf-8"><title>Tapedeck</title><body style="font:14px system-ui;margin:3em">' +
      '<h1>Tapedeck needs its link</h1><p>Open the full address that <code>tapedeck serve</code> printed ' +
      '(it ends in <code>?token=…</code>). The token changes every time the server starts.</p></body>'
  )
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendRaw(res, status, 'application/json; charset=utf-8', JSON.stringify(value))
}

function sendText(res: ServerResponse, status: number, text: string): void {
  sendRaw(res, status, 'text/plain; charset=utf-8', text)
}

function sendRaw(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store'
  })
  res.end(body)
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}
