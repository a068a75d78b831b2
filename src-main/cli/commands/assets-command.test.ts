import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRecordingAssets } from '../../assets/asset-queries'
import { getCachePath } from '../../core/data-dir'
import { openDatabase } from '../../db/open-database'
import { createTempDir } from '../../test/test-db'
import { UsageError, type CommandIo } from '../command'
import { assetsCommand } from './assets-command'

let server: Server
let origin: string

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/logo.png') res.writeHead(200, { 'content-type': 'image/png' }).end('PNGDATA')
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function createIo(): CommandIo & { out: () => string } {
  const stdout = new PassThrough()
  const chunks: Buffer[] = []
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  return {
    stdout,
    stderr: new PassThrough(),
    env: {},
    out: () => Buffer.concat(chunks).toString('utf8')
  }
}

describe('tapedeck assets', () => {
  it('fetches what recordings reference, reports failures with exit code 2, and shows the status', async () => {
    const { dir, cleanup } = createTempDir()
    try {
      const db = openDatabase(getCachePath(dir))
      db.prepare(
        `INSERT INTO recordings (id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES ('r', 1, 2, 1, 1, 3)`
      ).run()
      insertRecordingAssets(db, 'r', [`${origin}/logo.png`, `${origin}/gone.png`])
      db.close()

      const fetchIo = createIo()
      expect(await assetsCommand.run(['fetch', '--data', dir, '--timeout', '5'], fetchIo)).toBe(2)
      expect(fetchIo.out()).toMatch(
        /^fetched 1 of 2 assets \(7 B\) in [\d.]+ s; 1 failed, 0 skipped\n/
      )

      const statusIo = createIo()
      expect(await assetsCommand.run(['status', '--data', dir, '--json'], statusIo)).toBe(0)
      expect(JSON.parse(statusIo.out())).toEqual({
        total: 2,
        pending: 0,
        fetched: 1,
        failed: 1,
        skipped: 0,
        storedBytes: 7,
        unscannedRecordings: 0
      })
    } finally {
      cleanup()
    }
  })

  it('rejects a missing action and bad options', async () => {
    await expect(assetsCommand.run([], createIo())).rejects.toThrow(UsageError)
    await expect(assetsCommand.run(['fetch', '--concurrency', '0'], createIo())).rejects.toThrow(
      UsageError
    )
    await expect(assetsCommand.run(['status', 'extra'], createIo())).rejects.toThrow(UsageError)
  })
})
