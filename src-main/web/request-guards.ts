/**
 * The web host's gatekeeping: the per-run token, the Host and Origin checks, and safe static paths.
 *
 * Pure functions over header values and strings, so each rule is unit-tested without a socket.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { isAbsolute, relative, resolve, sep } from 'node:path'

/** Header a non-browser client (the bench, scripts) may send instead of the cookie. */
export const TOKEN_HEADER = 'x-tapedeck-token'

/** A fresh random token: 32 bytes, URL-safe base64. */
export function createToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Name of the cookie that carries the token; per port, since cookies are shared across ports of one host. */
export function tokenCookieName(port: number): string {
  return `tapedeck_token_${port}`
}

/** Constant-time comparison of a presented token with the expected one; false for anything missing. */
export function isTokenEqual(presented: string | undefined | null, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false
  const a = Buffer.from(presented)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Reads one cookie's value from a `Cookie` header, or `undefined`. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The token a request presents: the header first, then the cookie. */
export function presentedToken(
  headers: { cookie?: string; [TOKEN_HEADER]?: string | string[] },
  port: number
): string | undefined {
  const header = headers[TOKEN_HEADER]
  if (typeof header === 'string' && header.length > 0) return header
  return readCookie(headers.cookie, tokenCookieName(port))
}

/** The `Set-Cookie` value that stores the token: HttpOnly, SameSite=Strict, whole site, session-only. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`
}

/** The host names a browser may use to reach a server bound to `bindHost` on `port` (`Host` header values). */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]'])
  if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') ? `[${bindHost}]` : bindHost)
  return new Set([...names].map((name) => `${name}:${port}`))
}

/**
 * Checks the `Host` header against the names the server answers to.
 *
 * This stops DNS-rebinding pages (evil.example resolving to 127.0.0.1) from reading the API with the victim's
 * cookie: their requests carry `Host: evil.example:PORT`. When the server was bound to all interfaces on purpose
 * (`--host 0.0.0.0`), any host name is accepted and the token alone guards it.
 */
export function isHostAllowed(hostHeader: string | undefined, bindHost: string, port: number): boolean {
  if (!hostHeader) return false
  if (bindHost === '0.0.0.0' || bindHost === '::') return true
  return allowedHosts(bindHost, port).has(hostHeader.toLowerCase())
}

/**
 * Checks the `Origin` (and `Sec-Fetch-Site`) of a request.
 *
 * Browsers send `Origin` on every POST and on cross-origin GETs; it must be the server's own origin, i.e.
 * `http://` plus the `Host` the request was sent to. No `Origin` is fine (a top-level navigation, or a non-browser
 * client that must then present the token header). `Sec-Fetch-Site: cross-site` is refused outright.
 */
export function isOriginAllowed(
  originHeader: string | undefined,
  hostHeader: string | undefined,
  secFetchSite?: string
): boolean {
  if (secFetchSite === 'cross-site') return false
  if (originHeader === undefined) return true
  if (!hostHeader) return false
  return originHeader.toLowerCase() === `http://${hostHeader.toLowerCase()}`
}

/**
 * Maps a request path onto a file under `root`, or `null` when the path must be refused.
 *
 * Refuses undecodable escapes, NUL bytes, backslashes, any `..` or `.` segment (before or after decoding, so
 * `%2e%2e`, `%2F` and double-encoded variants are all caught) and any result that is not inside `root`.
 * `/` maps to `index.html`.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  if (!urlPath.startsWith('/')) return null
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (/[\0\\]/.test(decoded) || decoded.includes('%')) return null
  const segments = decoded.split('/').slice(1)
  if (segments.some((segment) => segment === '..' || segment === '.')) return null
  if (segments.slice(0, -1).some((segment) => segment === '')) return null
  const relativePath = segments.join('/') || 'index.html'
  const rootPath = resolve(root)
  const filePath = resolve(rootPath, relativePath)
  const rel = relative(rootPath, filePath)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null
  return filePath
}
