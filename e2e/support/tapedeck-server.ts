/**
 * Starts a real `tapedeck serve` for a spec file: a fresh temporary data folder, the given fixtures imported with
 * `tapedeck import` (the importer's `importPaths`), then the web host on a free port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..')
export const ACME_SMALL = join(PROJECT_ROOT, 'test', 'fixtures', 'acme-small')
const CLI = join(PROJECT_ROOT, 'bin', 'tapedeck')

export type TapedeckServer = {
  /** The URL `serve` printed (with the token). */
  url: string
  origin: string
  dataDir: string
  stop: () => Promise<void>
}

export type StartOptions = {
  /** Files and folders to import first. */
  fixtures?: string[]
  /** Writes more files to import (generated data), given a scratch folder; returns their paths. */
  generateFixtures?: (scratchDir: string) => Promise<string[]>
  /** Runs after the import and before the server starts (e.g. to damage the cache on purpose). */
  afterImport?: (dataDir: string) => void | Promise<void>
  serveArgs?: string[]
}

/** Imports `fixtures` into a new data folder and serves it. */
export async function startTapedeck(options: StartOptions = {}): Promise<TapedeckServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-e2e-'))
  const env = { ...process.env, TAPEDECK_DATA: dataDir }
  const generated = options.generateFixtures ? await options.generateFixtures(mkdtempSync(join(tmpdir(), 'tapedeck-e2e-gen-'))) : []
  const fixtures = [...(options.fixtures ?? []), ...generated]
  if (fixtures.length > 0) {
    await promisify(execFile)(process.execPath, [CLI, 'import', '--data', dataDir, '--json', ...fixtures], {
      cwd: PROJECT_ROOT,
      env,
      maxBuffer: 16 * 1024 * 1024
    })
  }
  await options.afterImport?.(dataDir)
  const child = spawn(process.execPath, [CLI, 'serve', '--data', dataDir, '--port', '0', ...(options.serveArgs ?? [])], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await readUrl(child, () => stderr)
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    stop: async () => {
      await stopChild(child)
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

function readUrl(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`tapedeck serve printed no URL in 60 s:\n${stderr()}`)), 60_000)
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    lines.once('line', (line) => {
      clearTimeout(timer)
      const match = /^Tapedeck at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(line)
      if (match) resolvePromise(match[1] as string)
      else reject(new Error(`unexpected first line from tapedeck serve: ${line}`))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`tapedeck serve exited with ${code}:\n${stderr()}`))
    })
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolvePromise) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolvePromise()
    })
    child.kill('SIGTERM')
  })
}
