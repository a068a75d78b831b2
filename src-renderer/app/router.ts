/**
 * Hash routing: `#/recordings`, `#/recordings/<id>?t=12`, `#/persons`…
 *
 * The hash keeps deep links working from a file:// or custom-protocol page (Electron) and from the web host alike,
 * and back/forward move through it. Screens keep their filters in the hash's query so links are shareable.
 */
import { useSyncExternalStore } from 'react'

export type AppLocation = {
  /** The path part of the hash, always starting with `/` (`/recordings/abc`). */
  path: string
  /** The query part of the hash. */
  search: URLSearchParams
  /** The whole hash without `#`, for identity comparisons. */
  href: string
}

/** Splits a hash (`#/a/b?x=1`) into path and query. Empty or malformed hashes give `/`. */
export function parseHash(hash: string): AppLocation {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash
  const queryAt = raw.indexOf('?')
  const pathPart = queryAt < 0 ? raw : raw.slice(0, queryAt)
  const queryPart = queryAt < 0 ? '' : raw.slice(queryAt + 1)
  const path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`
  return { path, search: new URLSearchParams(queryPart), href: raw }
}

/** Builds a hash target (`/recordings?q=x`) from a path and optional query; empty queries are dropped. */
export function formatTarget(path: string, search?: URLSearchParams | Record<string, string>): string {
  const params = search instanceof URLSearchParams ? search : new URLSearchParams(search)
  const query = params.toString()
  return query ? `${path}?${query}` : path
}

/**
 * Matches a path against a pattern like `/recordings/:id`; returns the decoded parameters or null.
 *
 * A pattern segment `:name` matches one non-empty segment; everything else must be equal.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean)
  const pathParts = path.split('/').filter(Boolean)
  if (patternParts.length !== pathParts.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i] as string
    const actual = pathParts[i] as string
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual)
      } catch {
        return null
      }
    } else if (expected !== actual) {
      return null
    }
  }
  return params
}

const navigationListeners = new Set<(target: AppLocation) => void>()

/** Called before every in-app navigation (the shell uses it to drop the readiness flag at once). */
export function onNavigate(listener: (target: AppLocation) => void): () => void {
  navigationListeners.add(listener)
  return () => navigationListeners.delete(listener)
}

/** Goes to a hash target such as `/recordings/abc?t=3`. `replace` keeps the history entry (typing in a filter). */
export function navigate(target: string, options: { replace?: boolean } = {}): void {
  const hash = `#${target.startsWith('/') ? target : `/${target}`}`
  if (hash === window.location.hash) return
  const next = parseHash(hash)
  for (const listener of navigationListeners) listener(next)
  // pushState / replaceState fire no event, and the one sent here is synchronous: the screen re-renders within the
  // same input event, so a controlled checkbox never shows its old state in between (setting `location.hash` fires
  // `hashchange` a task later, and a click read right after it saw the box unchecked). Back and Forward between
  // these entries still fire `hashchange`, since only the hash differs.
  if (options.replace) window.history.replaceState(window.history.state, '', hash)
  else window.history.pushState(null, '', hash)
  window.dispatchEvent(new HashChangeEvent('hashchange'))
}

let cachedHash: string | null = null
let cachedLocation: AppLocation = parseHash('')

function readLocation(): AppLocation {
  const hash = window.location.hash
  if (hash !== cachedHash) {
    cachedHash = hash
    cachedLocation = parseHash(hash)
  }
  return cachedLocation
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback)
  return () => window.removeEventListener('hashchange', callback)
}

/** The current location; re-renders on every hash change. */
export function useAppLocation(): AppLocation {
  return useSyncExternalStore(subscribe, readLocation)
}

/** A link target for anchors (`href`), so middle-click and "copy link" work. */
export function hrefFor(target: string): string {
  return `#${target.startsWith('/') ? target : `/${target}`}`
}

const lastTargets = new Map<string, string>()

/** Remembers the target a screen last showed (the list with its filters), for "back to the list" links elsewhere. */
export function rememberTarget(path: string, target: string): void {
  lastTargets.set(path, target)
}

/** The target `path` last showed (with its query), or `path` itself when it has not been shown yet. */
export function lastTargetFor(path: string): string {
  return lastTargets.get(path) ?? path
}
