// Development entry of the analytics worker: registers tsx so the TypeScript worker can load (the bundled app uses
// the compiled analytics-worker.js instead; see resolveAnalyticsWorkerUrl in analytics-client.ts).
import { register } from 'tsx/esm/api'

register()
await import('./analytics-worker.ts')
