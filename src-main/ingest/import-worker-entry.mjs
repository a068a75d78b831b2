// Development entry of the import worker: registers tsx so the TypeScript worker can load (the bundled app uses
// the compiled import-worker.js instead; see resolveWorkerUrl in file-runner.ts).
import { register } from 'tsx/esm/api'

register()
await import('./import-worker.ts')
