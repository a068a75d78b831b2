import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createToken,
  isHostAllowed,
  isOriginAllowed,
  isTokenEqual,
  presentedToken,
  readCookie,
  resolveStaticPath
} from './request-guards'

const ROOT = resolve('/srv/renderer')

describe('resolveStaticPath', () => {
  it('maps plain paths inside the root, and / to index.html', () => {
    expect(resolveStaticPath(ROOT, '/')).toBe(join(ROOT, 'index.html'))
    expect(resolveStaticPath(ROOT, '/static/app-1.js')).toBe(join(ROOT, 'static', 'app-1.js'))
    expect(resolveStaticPath(ROOT, '/static/a%20b.js')).toBe(join(ROOT, 'static', 'a b.js'))
  })

  it.each([
    '/..',
    '/../etc/passwd',
    '/static/../../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/%2E%2e%2fetc%2fpasswd',
    '/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/%252e%252e/etc/passwd',
    '/..%5c..%5cetc%5cpasswd',
    '/static\\..\\..\\etc\\passwd',
    '/index.html%00.js',
    '/%',
    '/%e0%a4%a',
    '//etc/passwd',
    '/./index.html',
    'index.html',
    '/static//app.js'
  ])('refuses %s', (path) => {
    expect(resolveStaticPath(ROOT, path)).toBeNull()
  })
})

describe('tokens and cookies', () => {
  it('creates long random tokens', () => {
    const a = createToken()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(createToken()).not.toBe(a)
  })

  it('compares tokens exactly', () => {
    expect(isTokenEqual('abc', 'abc')).toBe(true)
    expect(isTokenEqual('abd', 'abc')).toBe(false)
    expect(isTokenEqual('ab', 'abc')).toBe(false)
    expect(isTokenEqual('', 'abc')).toBe(false)
    expect(isTokenEqual(undefined, 'abc')).toBe(false)
  })

  it('reads the per-port cookie or the header', () => {
    expect(readCookie('a=1; tapedeck_token_80=xyz; b=2', 'tapedeck_token_80')).toBe('xyz')
    expect(readCookie('tapedeck_token_8=xyz', 'tapedeck_token_80')).toBeUndefined()
    expect(presentedToken({ cookie: 'tapedeck_token_80=c' }, 80)).toBe('c')
    expect(presentedToken({ cookie: 'tapedeck_token_80=c', 'x-tapedeck-token': 'h' }, 80)).toBe('h')
    expect(presentedToken({}, 80)).toBeUndefined()
  })
})

describe('Host and Origin checks', () => {
  it('accepts loopback names on the right port only', () => {
    expect(isHostAllowed('127.0.0.1:4000', '127.0.0.1', 4000)).toBe(true)
    expect(isHostAllowed('localhost:4000', '127.0.0.1', 4000)).toBe(true)
    expect(isHostAllowed('LOCALHOST:4000', '127.0.0.1', 4000)).toBe(true)
    expect(isHostAllowed('127.0.0.1:4001', '127.0.0.1', 4000)).toBe(false)
    expect(isHostAllowed('rebind.evil.example:4000', '127.0.0.1', 4000)).toBe(false)
    expect(isHostAllowed(undefined, '127.0.0.1', 4000)).toBe(false)
    expect(isHostAllowed('192.168.1.5:4000', '192.168.1.5', 4000)).toBe(true)
    expect(isHostAllowed('anything:4000', '0.0.0.0', 4000)).toBe(true)
  })

  it('accepts only the same origin', () => {
    expect(isOriginAllowed(undefined, '127.0.0.1:4000')).toBe(true)
    expect(isOriginAllowed('http://127.0.0.1:4000', '127.0.0.1:4000')).toBe(true)
    expect(isOriginAllowed('http://localhost:4000', '127.0.0.1:4000')).toBe(false)
    expect(isOriginAllowed('https://127.0.0.1:4000', '127.0.0.1:4000')).toBe(false)
    expect(isOriginAllowed('null', '127.0.0.1:4000')).toBe(false)
    expect(isOriginAllowed('http://evil.example', '127.0.0.1:4000')).toBe(false)
    expect(isOriginAllowed(undefined, '127.0.0.1:4000', 'cross-site')).toBe(false)
    expect(isOriginAllowed(undefined, '127.0.0.1:4000', 'same-origin')).toBe(true)
  })
})
