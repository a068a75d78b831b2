import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '@shared/ipc-contract'
import { createApi } from '../api/create-api'
import { createAssetWebRoute } from '../assets/asset-web-route'
import { closeAppContext, openAppContext, type AppContext } from '../core/app-context'
import { importPaths } from '../ingest/import-service'
import { createTempDir, fixturePath } from '../test/test-db'
import { createEventHub } from '../web/event-stream'
import { startWebHost, type WebHost } from '../web/web-host'

// Black-box attacks on a real web host (the real API, asset route and guards) on 127.0.0.1. Every refusal is also
// checked for leaking a secret: files holding SECRET sit next to the renderer, in the data folder and in /tmp.
const SECRET = `SECRET-${Math.random().toString(36).slice(2)}`
const TOKEN = 'reliability-token-0123456789abcdefghijklmnopqrstuvwxyz'

type Reply = {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

let temp: ReturnType<typeof createTempDir>
let context: AppContext
let host: WebHost
let rendererDir: string

beforeAll(async () => {
  temp = createTempDir('tapedeck-web-security-')
  rendererDir = join(temp.dir, 'app', 'renderer')
  mkdirSync(join(rendererDir, 'static'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Tapedeck</title>')
  writeFileSync(join(rendererDir, 'static', 'app.js'), 'console.log("app")')
  writeFileSync(join(temp.dir, 'app', 'secret.txt'), SECRET)
  writeFileSync(join(temp.dir, 'secret.txt'), SECRET)
  // A link inside the renderer folder to a file outside it must not be followed out.
  symlinkSync(join(temp.dir, 'secret.txt'), join(rendererDir, 'static', 'linked.txt'))
  const dataDir = join(temp.dir, 'data')
  context = openAppContext({ dataDir, shell: 'cli' })
  writeFileSync(join(dataDir, 'secret.txt'), SECRET)
  await importPaths(
    context.db,
    [fixturePath('acme-small', 'recordings', '01a13484-8534-7c1d-9d8d-d9cfc50a8d47.json')],
    {
      workers: 0
    }
  )
  // A poisoned asset row: its content hash names a path. The asset store must refuse it, not read the file.
  context.db
    .prepare(
      `INSERT INTO assets (url, status, content_hash, mime) VALUES (?, 'fetched', ?, 'text/plain')`
    )
    .run('https://evil.test/x.txt', '../secret.txt')
  host = await startWebHost({
    api: createApi(context),
    rendererDir,
    token: TOKEN,
    events: createEventHub(),
    routes: [createAssetWebRoute(context.db, dataDir)]
  })
}, 60_000)

afterAll(async () => {
  await host?.close()
  if (context) closeAppContext(context)
  temp.cleanup()
})

const cookie = () => `tapedeck_token_${host.port}=${TOKEN}`

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8')
          })
        )
      }
    )
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${path}`)))
    if (options.body !== undefined) req.write(options.body)
    req.end()
  })
}

/** Sends raw bytes (request lines no HTTP client would write) and returns the raw answer. */
function sendRaw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1', () => socket.end(text))
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
    socket.setTimeout(10_000, () => socket.destroy())
  })
}

describe('the web host without the token', () => {
  const paths = [
    '/',
    '/index.html',
    '/static/app.js',
    '/api/invoke/app:get-info',
    '/api/events',
    '/assets?url=https://evil.test/x.txt'
  ]

  it('refuses every route, with no token, a wrong one, a truncated one, or one for another port', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { cookie: `tapedeck_token_${host.port}=wrong` },
      { cookie: `tapedeck_token_${host.port}=${TOKEN.slice(0, -1)}` },
      { cookie: `tapedeck_token_${host.port}=${TOKEN}x` },
      { cookie: `tapedeck_token_${host.port + 1}=${TOKEN}` },
      { cookie: `tapedeck_token_${host.port}=` },
      { 'x-tapedeck-token': TOKEN.toUpperCase() },
      { 'x-tapedeck-token': '' },
      { authorization: `Bearer ${TOKEN}` }
    ]
    for (const path of paths) {
      for (const headers of attempts) {
        const method = path.startsWith('/api/invoke/') ? 'POST' : 'GET'
        const reply = await send(path, {
          method,
          headers,
          body: method === 'POST' ? '[]' : undefined
        })
        expect(reply.status, `${method} ${path} with ${JSON.stringify(headers)}`).toBe(401)
        expect(reply.body).not.toContain(SECRET)
      }
    }
  })

  it('does not accept the token as a query parameter on the API, nor a wrong one on a page', async () => {
    expect(
      (await send(`/api/invoke/app:get-info?token=${TOKEN}`, { method: 'POST', body: '[]' })).status
    ).toBe(401)
    expect((await send(`/api/events?token=${TOKEN}`)).status).toBe(401)
    const wrong = await send(`/?token=${TOKEN.slice(1)}`)
    expect(wrong.status).toBe(401)
    expect(wrong.headers['set-cookie']).toBeUndefined()
  })
})

describe('the web host with the token but from elsewhere', () => {
  it('refuses other origins, null origins, cross-site fetches and unknown Host names', async () => {
    const attacks: Record<string, string>[] = [
      { origin: 'http://evil.test' },
      { origin: 'null' },
      { origin: `http://127.0.0.1:${host.port + 1}` },
      { origin: `https://127.0.0.1:${host.port}` },
      { origin: `http://127.0.0.1:${host.port}.evil.test` },
      { 'sec-fetch-site': 'cross-site' },
      { host: `evil.test:${host.port}` },
      { host: `127.0.0.1.evil.test:${host.port}` },
      { host: `127.0.0.1:${host.port + 1}` },
      { host: '127.0.0.1' }
    ]
    for (const headers of attacks) {
      for (const [method, path] of [
        ['POST', '/api/invoke/recordings:search'],
        ['GET', '/'],
        ['GET', '/api/events'],
        ['GET', '/assets?url=https://evil.test/x.txt']
      ] as const) {
        const reply = await send(path, {
          method,
          headers: { cookie: cookie(), 'content-type': 'application/json', ...headers },
          body: method === 'POST' ? '[{}]' : undefined
        })
        expect([403, 421], `${method} ${path} with ${JSON.stringify(headers)}`).toContain(
          reply.status
        )
        expect(reply.body).not.toContain('01a13484')
      }
    }
  })

  it('answers its own origin (so the refusals above are the guards, not a broken server)', async () => {
    const reply = await send('/api/invoke/recordings:search', {
      method: 'POST',
      headers: {
        cookie: cookie(),
        origin: `http://127.0.0.1:${host.port}`,
        'content-type': 'application/json'
      },
      body: '[{}]'
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toContain('01a13484')
  })
})

/** Path traversal spellings: separators, dot encodings (single, double, overlong UTF-8) and targets, combined. */
function traversalPaths(): string[] {
  const dots = [
    '..',
    '%2e%2e',
    '%2E%2E',
    '.%2e',
    '%2e.',
    '%252e%252e',
    '%25252e%25252e',
    '%c0%ae%c0%ae',
    '..%00',
    '...'
  ]
  const separators = ['/', '%2f', '%2F', '\\', '%5c', '%255c', '%252f', '//', '/./']
  const targets = ['secret.txt', 'app/secret.txt', 'data/secret.txt', 'etc/passwd']
  const paths: string[] = []
  for (const dot of dots) {
    for (const sep of separators) {
      for (const depth of [1, 2, 3, 6]) {
        for (const target of targets) {
          const up = Array.from({ length: depth }, () => `${dot}${sep}`).join('')
          paths.push(`/${up}${target}`, `/static/${up}${target}`)
        }
      }
    }
  }
  return paths
}

describe('static files and the asset route', () => {
  it(`never serve a file outside the renderer, whatever the path (${traversalPaths().length + 12} spellings)`, async () => {
    const paths = [
      ...traversalPaths(),
      `/${join(temp.dir, 'secret.txt')}`,
      `/%2f${encodeURIComponent(join(temp.dir, 'secret.txt').slice(1))}`,
      `//${join(temp.dir, 'secret.txt').slice(1)}`,
      '/etc/passwd',
      '/static/linked.txt',
      '/static/%6cinked.txt',
      '/C:\\Windows\\win.ini',
      '/static/app.js%00.html',
      '/static/app.js/..',
      '/%00',
      '/static/',
      '/.'
    ]
    let served = 0
    const statuses = new Set<number>()
    for (const path of paths) {
      const reply = await send(path, { headers: { cookie: cookie() } })
      statuses.add(reply.status)
      expect(reply.body, path).not.toContain(SECRET)
      expect(reply.body, path).not.toMatch(/root:.*:0:0:/)
      if (reply.status === 200) {
        served++
        // Only real renderer files may come back (a path that resolves inside the renderer is fine).
        expect(['<!doctype html><title>Tapedeck</title>', 'console.log("app")'], path).toContain(
          reply.body
        )
      }
    }
    expect(served).toBeLessThan(paths.length / 10)
    // The requests got past the token to the path checks: refused as bad paths or not found, never unauthorised.
    expect([...statuses].sort()).toEqual(served > 0 ? [200, 400, 404] : [400, 404])
  }, 60_000)

  it('refuse absolute-form and other raw request targets that HTTP clients would normalise', async () => {
    const targets = [
      `http://127.0.0.1:${host.port}/../secret.txt`,
      `http://127.0.0.1:${host.port}/%2e%2e/secret.txt`,
      '../secret.txt',
      '/static/../../secret.txt',
      '/static/..\\..\\secret.txt',
      `file://${join(temp.dir, 'secret.txt')}`,
      '*'
    ]
    for (const target of targets) {
      const answer = await sendRaw(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nCookie: ${cookie()}\r\nConnection: close\r\n\r\n`
      )
      expect(answer, target).not.toContain(SECRET)
      expect(answer.slice(0, 12), target).not.toBe('HTTP/1.1 200')
    }
  })

  it('serve cached assets only from the asset cache: no file URLs, no paths smuggled through a stored hash', async () => {
    const urls = [
      `file://${join(temp.dir, 'secret.txt')}`,
      '/secret.txt',
      '../secret.txt',
      `http://127.0.0.1:${host.port}/../../secret.txt`,
      'https://evil.test/x.txt',
      'https://evil.test/../../secret.txt',
      'javascript:alert(1)',
      'data:text/plain,hi'
    ]
    for (const url of urls) {
      const reply = await send(`/assets?url=${encodeURIComponent(url)}`, {
        headers: { cookie: cookie() }
      })
      expect(reply.body, url).not.toContain(SECRET)
      expect(reply.status, url).not.toBe(200)
    }
  })
})

describe('the API', () => {
  it('reads no file named in any argument of any channel', async () => {
    const hostile = [
      join(temp.dir, 'secret.txt'),
      '../secret.txt',
      '../../../../../../etc/passwd',
      'file:///etc/passwd',
      '%2e%2e%2fsecret.txt'
    ]
    // Adding a watched folder and starting a sync read the folder the user names: that is their purpose, so they
    // are left out here (they stay behind the token and the origin check like every channel).
    const channels = Object.keys(INVOKE_CHANNELS).filter(
      (c) => c !== 'sources:add-folder' && c !== 'sync:start'
    )
    for (const channel of channels) {
      for (const value of hostile) {
        for (const args of [
          [value],
          [value, 0],
          [{ text: value, person: value, id: value, path: value }]
        ]) {
          const reply = await send(`/api/invoke/${channel}`, {
            method: 'POST',
            headers: { cookie: cookie(), 'content-type': 'application/json' },
            body: JSON.stringify(args)
          })
          expect(reply.body, `${channel} ${JSON.stringify(args)}`).not.toContain(SECRET)
          expect(reply.body).not.toMatch(/root:.*:0:0:/)
          expect(
            reply.status,
            `${channel} ${JSON.stringify(args)}: ${reply.body.slice(0, 200)}`
          ).not.toBe(500)
        }
      }
    }
  }, 60_000)

  it('refuses other methods, oversized bodies and unknown channels', async () => {
    const headers = { cookie: cookie(), 'content-type': 'application/json' }
    expect((await send('/api/invoke/app:get-info', { method: 'GET', headers })).status).toBe(405)
    expect(
      (await send('/api/invoke/app:get-info', { method: 'PUT', headers, body: '[]' })).status
    ).toBe(405)
    expect(
      (await send('/api/invoke/__proto__', { method: 'POST', headers, body: '[]' })).status
    ).toBe(404)
    expect(
      (await send('/api/invoke/constructor', { method: 'POST', headers, body: '[]' })).status
    ).toBe(404)
    expect(
      (await send('/api/invoke/%E0%A4%A', { method: 'POST', headers, body: '[]' })).status
    ).toBe(400)
    const huge = await send('/api/invoke/recordings:search', {
      method: 'POST',
      headers,
      body: `[{"text":"${'a'.repeat(2 * 1024 * 1024)}"}]`
    })
    expect(huge.status).toBe(413)
    expect((await send('/', { method: 'DELETE', headers })).status).toBe(405)
  })
})

describe('where it listens', () => {
  it('binds to 127.0.0.1 only by default: other addresses of this machine are refused', async () => {
    expect(host.host).toBe('127.0.0.1')
    expect(host.server.address()).toMatchObject({ address: '127.0.0.1' })
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((info) => info !== undefined && !info.internal && info.family === 'IPv4')
      .map((info) => info?.address as string)
    for (const address of [...others, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: host.port }, () => {
          socket.destroy()
          resolve('connected')
        })
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
        socket.setTimeout(3000, () => {
          socket.destroy()
          resolve('timeout')
        })
      })
      expect(outcome, address).not.toBe('connected')
    }
  })
})
