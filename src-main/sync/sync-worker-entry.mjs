// Development entry of the sync worker: registers tsx so the TypeScript worker can load (the bundled app uses the
// compiled sync-worker.js instead; see resolveSyncWorkerUrl in sync-executor.ts).
import { URL, fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.node.json', import.meta.url)) })
await import('./sync-worker.ts')
