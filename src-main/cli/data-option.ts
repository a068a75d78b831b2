import { closeAppContext, openAppContext, type AppContext } from '../core/app-context'
import { resolveDataDir } from '../core/data-dir'
import type { CommandIo } from './command'

/** The `--data DIR` option every command takes. */
export const DATA_OPTION = { data: { type: 'string' } } as const

/** Opens the cache of the data folder a command was pointed at, runs `body`, and closes it. */
export async function withCacheContext<T>(
  dataFlag: string | undefined,
  io: CommandIo,
  body: (context: AppContext) => Promise<T> | T
): Promise<T> {
  const context = openAppContext({ dataDir: resolveDataDir(dataFlag, io.env), shell: 'cli' })
  try {
    return await body(context)
  } finally {
    closeAppContext(context)
  }
}

/** Writes one JSON document and a newline. */
export function writeJson(io: CommandIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}
