import { ASSET_ROUTE_PATH, toAssetRoute } from '../shared/asset-urls'
import type { ReadableDb } from '../db/types'
import type { WebRoute } from '../web/web-host'
import { resolveAssetResponse } from './resolve-asset-response'

/**
 * The web host's `GET /assets?url=<absolute URL>` route: the asset cache, never the network.
 *
 * Pass it in `startWebHost({ routes: [createAssetWebRoute(db, dataDir)] })`; it runs behind the host's token and
 * origin checks. Stylesheets come back with their `url()`s pointing at this route too.
 */
export function createAssetWebRoute(db: ReadableDb, dataDir: string): WebRoute {
  return {
    path: ASSET_ROUTE_PATH,
    handle(req, res, url) {
      const response = resolveAssetResponse(db, dataDir, url.searchParams.get('url') ?? '', {
        toLocalUrl: (assetUrl) => toAssetRoute(assetUrl, '')
      })
      res.writeHead(response.status, response.headers)
      res.end(req.method === 'HEAD' ? undefined : response.body)
    }
  }
}
