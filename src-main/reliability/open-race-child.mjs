// Opens (creating and migrating) the cache at argv[2] as soon as the clock reaches argv[3] (epoch ms), so several
// processes open one new data folder within a millisecond of each other (concurrency.test.ts).
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.node.json', import.meta.url)) })
const { openDatabase } = await import('../db/open-database.ts')
const at = Number(process.argv[3])
while (Date.now() < at) {
  // Spin rather than sleep: timers are too coarse to line the processes up.
}
openDatabase(process.argv[2]).close()
