import { request } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiHandlers } from '@shared/ipc-contract'
import { createTempDir } from '../test/test-db'
import { createEventHub } from './event-stream'
import { startWebHost, type WebHost } from './web-host'

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef'
const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER'

let host: WebHost
let temp: { dir: string; cleanup: () => void }
const hub = createEventHub()
const calls: unknown[][] = []

/** Only the channels the tests call; the host looks handlers up by channel name. */
const api = {
  'app:get-info': () => ({ version: '1', shell: 'web', dataDir: '/x', schemaVersion: 1, demoImported: false }),
  'recordings:get-chunk': (id: string, seq: number) => {
    calls.push([id, seq])
    return seq === 0 ? new Uint8Array([1, 2, 3, 250]) : null
  },
  'recordings:mark-viewed': () => undefined,
  'views:delete': () => {
    throw new Error('boom')
  }
} as unknown as ApiHandlers

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      }
    )
    req.on('error', reject)
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

const cookie = () => `tapedeck_token_${host.port}=${TOKEN}`
const authed = (extra: Record<string, string> = {}) => ({ cookie: cookie(), ...extra })
const invoke = (channel: string, args: unknown, headers: Record<string, string> = authed()) =>
  send(`/api/invoke/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(args)
  })

beforeAll(async () => {
  temp = createTempDir()
  const renderer = join(temp.dir, 'renderer')
  mkdirSync(join(renderer, 'static'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>app</title>')
  writeFileSync(join(renderer, 'static', 'app.js'), 'console.log(1)')
  writeFileSync(join(temp.dir, 'secret.txt'), SECRET)
  host = await startWebHost({ api, rendererDir: renderer, token: TOKEN, events: hub })
})

afterAll(async () => {
  await host.close()
  temp.cleanup()
})

describe('web host', () => {
  it('listens on loopback only by default and prints a tokenised URL', () => {
    const address = host.server.address()
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`)
  })

  it('refuses the page and the API without a token or with a wrong one', async () => {
    expect((await send('/')).status).toBe(401)
    expect((await send('/static/app.js')).status).toBe(401)
    expect((await invoke('app:get-info', [], {})).status).toBe(401)
    expect((await send('/?token=wrong')).status).toBe(401)
    expect((await invoke('app:get-info', [], { cookie: `tapedeck_token_${host.port}=wrong` })).status).toBe(401)
    expect((await invoke('app:get-info', [], { 'x-tapedeck-token': TOKEN.slice(0, -1) + 'x' })).status).toBe(401)
    expect((await invoke('app:get-info', [], { cookie: `tapedeck_token_1=${TOKEN}` })).status).toBe(401)
  })

  it('exchanges the URL token for an HttpOnly SameSite=Strict cookie and drops it from the URL', async () => {
    const reply = await send(`/?token=${TOKEN}&x=1`)
    expect(reply.status).toBe(302)
    expect(reply.headers.location).toBe('/?x=1')
    const setCookie = String(reply.headers['set-cookie'])
    expect(setCookie).toContain(`tapedeck_token_${host.port}=${TOKEN}`)
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Strict')
    const page = await send('/', { headers: authed() })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.body.toString()).toContain('<title>app</title>')
  })

  it('accepts the token header from non-browser clients', async () => {
    const reply = await invoke('app:get-info', [], { 'x-tapedeck-token': TOKEN })
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body.toString())).toMatchObject({ shell: 'web' })
  })

  it('refuses other origins and unknown Host names (DNS rebinding)', async () => {
    expect((await invoke('app:get-info', [], authed({ origin: 'http://evil.example' }))).status).toBe(403)
    expect((await invoke('app:get-info', [], authed({ origin: 'http://127.0.0.1:1' }))).status).toBe(403)
    expect((await invoke('app:get-info', [], authed({ 'sec-fetch-site': 'cross-site' }))).status).toBe(403)
    expect((await invoke('app:get-info', [], authed({ origin: `http://127.0.0.1:${host.port}` }))).status).toBe(200)
    expect((await invoke('app:get-info', [], authed({ host: `evil.example:${host.port}` }))).status).toBe(421)
    expect((await invoke('app:get-info', [], authed({ host: `localhost:${host.port}` }))).status).toBe(200)
  })

  it('refuses path traversal in every spelling and never serves a file outside the renderer', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/static/..%2f..%2fsecret.txt',
      '/%252e%252e/secret.txt',
      '/static/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/static%00/app.js',
      '/%c0%ae%c0%ae/secret.txt',
      '//etc/passwd',
      '/static/./app.js'
    ]
    for (const path of attempts) {
      const reply = await send(path, { headers: authed() })
      expect([400, 404], path).toContain(reply.status)
      expect(reply.body.toString()).not.toContain(SECRET)
    }
    expect((await send('/static/app.js', { headers: authed() })).status).toBe(200)
  })

  it('validates arguments, answers bytes as octet-stream and nothing as 204', async () => {
    const bytes = await invoke('recordings:get-chunk', ['rec-1', 0])
    expect(bytes.status).toBe(200)
    expect(bytes.headers['content-type']).toBe('application/octet-stream')
    expect([...bytes.body]).toEqual([1, 2, 3, 250])
    expect(calls).toContainEqual(['rec-1', 0])

    const missing = await invoke('recordings:get-chunk', ['rec-1', 7])
    expect(missing.body.toString()).toBe('null')

    expect((await invoke('recordings:get-chunk', ['rec-1', -1])).status).toBe(400)
    expect((await invoke('recordings:get-chunk', ['rec-1'])).status).toBe(400)
    expect((await invoke('recordings:get-chunk', { 0: 'rec-1' })).status).toBe(400)
    expect((await invoke('nope:nothing', [])).status).toBe(404)
    expect((await invoke('recordings:mark-viewed', ['rec-1', true])).status).toBe(204)
    const failed = await invoke('views:delete', [3])
    expect(failed.status).toBe(500)
    expect(JSON.parse(failed.body.toString()).error).toContain('boom')
    const get = await send('/api/invoke/app:get-info', { headers: authed() })
    expect(get.status).toBe(405)
  })

  it('streams events to /api/events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: '/api/events', headers: authed() },
        (res) => {
          expect(res.headers['content-type']).toContain('text/event-stream')
          let text = ''
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString()
            if (text.includes(': connected') && !text.includes('import:progress')) {
              hub.emit('import:progress', { filesDone: 1, filesTotal: 2, bytesDone: 3, bytesTotal: 4, currentFile: null })
            }
            const at = text.indexOf('event: import:progress')
            if (at >= 0 && text.includes('\n\n', at)) {
              req.destroy()
              resolve(text)
            }
          })
        }
      )
      req.on('error', reject)
      req.end()
    })
    expect(received).toContain('event: import:progress\ndata: {"filesDone":1')
  })
})
