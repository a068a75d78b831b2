// Relative, not `@shared/…`: the CLI loads this through tsx, which does not map the alias.
import { createAssetScanState, mapEventAssetUrls, type AssetScanState } from '../shared/asset-urls'

export { createAssetScanState, type AssetScanState }

/**
 * Reports the absolute http(s) URLs of the images, stylesheets and fonts one rrweb event references.
 *
 * Reads FullSnapshot node trees (iteratively), Mutation adds / attribute changes / style texts, style sheet rules,
 * style declarations, adopted style sheets and font loads. Relative URLs resolve against a `<base href>` in the
 * snapshot, else `base`, else the page URL of the last Meta event seen through `state`; a relative URL with none of
 * these is skipped. Never changes the event. The same URL may be reported more than once: the caller dedupes.
 */
export function collectAssetUrls(
  event: unknown,
  add: (url: string) => void,
  base?: string,
  state?: AssetScanState
): void {
  mapEventAssetUrls(
    event,
    (url) => {
      add(url)
      return undefined
    },
    base,
    state
  )
}

/**
 * Collects the distinct asset URLs of one window's events, in order (Meta events set the base as they pass).
 */
export function collectRecordingAssetUrls(
  events: Iterable<unknown>,
  urls: Set<string> = new Set()
): Set<string> {
  const state = createAssetScanState()
  for (const event of events) collectAssetUrls(event, (url) => urls.add(url), undefined, state)
  return urls
}
