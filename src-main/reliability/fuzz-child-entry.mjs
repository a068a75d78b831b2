// Entry of the fuzzer's import process: registers tsx so the TypeScript child can load (see fuzz-runner.ts).
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.node.json', import.meta.url)) })
await import('./fuzz-child.ts')
