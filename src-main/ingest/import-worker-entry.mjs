// Development entry of the import worker: registers tsx so the TypeScript worker can load (the bundled app uses
// the compiled import-worker.js instead; see resolveWorkerUrl in file-runner.ts).
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.node.json', import.meta.url)) })
await import('./import-worker.ts')
