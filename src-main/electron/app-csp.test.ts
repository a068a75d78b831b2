import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CSP_DIRECTIVES, formatCsp } from '../web/content-security-policy'
import { SECURITY_HEADERS } from '../web/web-host'

const root = join(import.meta.dirname, '..', '..')

/** Parses a policy into directive → sources. */
function parseCsp(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0] !== '')
      .map(([name, ...sources]) => [name as string, sources])
  )
}

// Electron's security checklist, item 7: a strict Content-Security-Policy. The desktop app sends it as a header
// from its app:// handler (SECURITY_HEADERS, also the web host's) and the page carries it as a <meta> tag.
describe('the app’s Content-Security-Policy', () => {
  const policy = parseCsp(SECURITY_HEADERS['content-security-policy'] ?? '')

  it('runs scripts only from the app: no inline, eval, data: or other origins', () => {
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('default-src')).toEqual(["'self'"])
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.get('base-uri')).toEqual(["'none'"])
    expect(policy.get('form-action')).toEqual(["'none'"])
    expect(policy.get('frame-ancestors')).toEqual(["'none'"])
    for (const [name, sources] of policy) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).not.toMatch(
          /unsafe-eval|wasm-unsafe|^\*$|^https?:|^http:|^ws/
        )
        if (name !== 'style-src') expect(source, name).not.toBe("'unsafe-inline'")
      }
    }
  })

  it('lets nothing reach the network: connections, frames, images, fonts and media stay in the app', () => {
    expect(policy.get('connect-src')).toEqual(["'self'"])
    expect(policy.get('frame-src')).toEqual(["'self'"])
    for (const name of ['img-src', 'font-src', 'media-src', 'worker-src'])
      for (const source of policy.get(name) ?? [])
        expect(["'self'", 'data:', 'blob:'], `${name} ${source}`).toContain(source)
  })

  it('is the same policy in the page’s <meta> tag (which cannot carry frame-ancestors)', () => {
    const html = readFileSync(join(root, 'src-renderer', 'index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    const { 'frame-ancestors': _frameAncestors, ...metaDirectives } = CSP_DIRECTIVES
    expect(meta).toBe(formatCsp(metaDirectives))
  })
})
