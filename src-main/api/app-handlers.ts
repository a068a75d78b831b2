import type { AppChannels } from '@shared/contract/app-channels'
import type { ApiHandlers } from '@shared/ipc-contract'
import type { AppContext } from '../core/app-context'
import { listImportLog } from '../db/import-log-queries'
import { getCacheTotals } from '../db/totals-queries'

/** Handlers of the app-wide channels: what the app is, the cache totals, the import log. */
export function createAppHandlers(context: AppContext): Pick<ApiHandlers, keyof AppChannels> {
  return {
    'app:get-info': () => ({
      version: context.version,
      shell: context.shell === 'electron' ? 'electron' : 'web',
      dataDir: context.dataDir,
      schemaVersion: context.db.pragma('user_version', { simple: true }) as number,
      demoImported: context.demoImported
    }),
    'app:get-totals': () => getCacheTotals(context.db),
    'imports:list': (options) => listImportLog(context.db, options)
  }
}
