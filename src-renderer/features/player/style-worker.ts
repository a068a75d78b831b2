/**
 * Rewrites recorded stylesheets for replay off the main thread: rrweb adds a `.\:hover` twin to every `:hover` rule
 * (and rewrites media selectors) with a CSS parse and print when it builds a page, ~25 ms for 8 KB of rules and
 * ~150–350 ms for the 100 KB+ that real sites inline. See replay-styles.ts.
 */
import { adaptCssForReplay, createCache } from 'rrweb-snapshot'

export type StyleRequest = { id: number; texts: string[] }
export type StyleAnswer = { id: number; adapted: string[] }

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<StyleRequest>) => void) | null
  postMessage: (answer: StyleAnswer) => void
}

scope.onmessage = (event) => {
  const { id, texts } = event.data
  // The player keeps the answers (replay-styles.ts); a cache here would only hold them a second time.
  const cache = createCache()
  scope.postMessage({ id, adapted: texts.map((text) => adaptCssForReplay(text, cache)) })
}
