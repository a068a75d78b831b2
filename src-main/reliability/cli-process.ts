import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** `bin/tapedeck` of this checkout. */
export const TAPEDECK_BIN = fileURLToPath(new URL('../../bin/tapedeck', import.meta.url))

export type CliRun = {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  elapsedMs: number
}

export type CliHandle = {
  child: ChildProcess
  /** Resolves when the process has exited, however it ended. */
  done: Promise<CliRun>
}

/** Who the child runs as (root may start it as another user, to meet permissions root itself ignores). */
export type RunAs = { uid: number; gid: number }

/** Starts `tapedeck ARGS` in a child process (plain Node + tsx, as a user runs it). */
export function startTapedeck(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  runAs?: RunAs
): CliHandle {
  const startedAt = performance.now()
  const child = spawn(process.execPath, [TAPEDECK_BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...runAs
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - startedAt })
    )
  })
  return { child, done }
}

/** Runs `tapedeck ARGS` to the end. */
export function runTapedeck(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  runAs?: RunAs
): Promise<CliRun> {
  return startTapedeck(args, env, runAs).done
}

/** The `--json` summary of `tapedeck import`. */
export type ImportJson = {
  files: { imported: number; unchanged: number; failed: number }
  recordings: number
  events: number
  persons: number
  failures: { file: string; reason: string }[]
}

/** Parses the one JSON object `tapedeck import --json` prints; throws with the output when it is not there. */
export function parseImportJson(run: CliRun): ImportJson {
  try {
    return JSON.parse(run.stdout) as ImportJson
  } catch {
    throw new Error(
      `tapedeck import printed no JSON (exit ${run.code ?? run.signal}):\n${run.stdout}\n${run.stderr}`
    )
  }
}
