/** Where a command writes; tests pass buffers, the CLI passes the process streams. */
export type CommandIo = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
}

/** One `tapedeck <name>` command. `run` returns the exit code: 0 ok, 1 usage error, 2 partial failure. */
export type Command = {
  name: string
  summary: string
  usage: string
  run: (argv: string[], io: CommandIo) => Promise<number>
}

/** Thrown for bad arguments; the CLI prints the message and the command's usage and exits 1. */
export class UsageError extends Error {}
