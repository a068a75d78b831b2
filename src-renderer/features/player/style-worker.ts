/**
 * Rewrites recorded stylesheets for replay off the main thread: rrweb adds a `.\:hover` twin to every `:hover` rule
 * (and rewrites media selectors) with a CSS parse and print when it builds a page, ~25 ms for 8 KB of rules and
 * ~150–350 ms for the 100 KB+ that real sites inline. See replay-styles.ts.
 */
import { adaptCssForReplay, createCache } from 'rrweb-snapshot'

export type StyleRequest = { id: number; texts: string[] }
export type StyleAnswer = { id: number; adapted: string[] }

const cache = createCache()
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<StyleRequest>) => void) | null
  postMessage: (answer: StyleAnswer) => void
}

scope.onmessage = (event) => {
  const { id, texts } = event.data
  scope.postMessage({ id, adapted: texts.map((text) => adaptCssForReplay(text, cache)) })
  // The worker's cache only spares the same text twice in a row of requests; the player keeps the answers.
  cache.stylesWithHoverClass.clear()
}
