import { useEffect, useMemo } from 'react'
import { shellKind } from '../api-client'
import { formatCount } from '../components/format'
import { useAppStore } from './app-store'
import { ErrorBoundary } from './error-boundary'
import { hrefFor, matchPath, navigate, onNavigate, useAppLocation } from './router'
import { APP_ROUTES, HOME_TARGET } from './routes'
import type { AppRoute } from './route-types'

function findRoute(path: string): { route: AppRoute; params: Record<string, string> } | null {
  for (const route of APP_ROUTES) {
    const params = matchPath(route.pattern, path)
    if (params) return { route, params }
  }
  return null
}

/** The window: sidebar, banners, and the routed screen. Its root carries `data-app-state` for automation. */
export function AppShell() {
  const location = useAppLocation()
  const screenState = useAppStore((s) => s.screenState)
  const load = useAppStore((s) => s.load)
  const listen = useAppStore((s) => s.listen)
  const setScreenState = useAppStore((s) => s.setScreenState)

  useEffect(() => {
    void load()
    return listen()
  }, [load, listen])

  useEffect(
    () =>
      onNavigate((target) => {
        if (target.path !== location.path) setScreenState('loading')
      }),
    [location.path, setScreenState]
  )

  const match = findRoute(location.path)
  useEffect(() => {
    if (!match) navigate(HOME_TARGET, { replace: true })
  }, [match])

  const navRoutes = useMemo(
    () => APP_ROUTES.filter((r) => r.nav).sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0)),
    []
  )
  const activeGroup = match ? (match.route.navGroup ?? match.route.pattern) : ''

  return (
    <div className="app" data-app-state={screenState} data-shell={shellKind}>
      <nav className="sidebar" aria-label="Screens">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▮▮
          </span>
          Tapedeck
        </div>
        <ul className="nav-list">
          {navRoutes.map((route) => {
            const target = route.nav?.target ?? route.pattern
            const isActive = activeGroup === route.pattern || activeGroup.startsWith(`${route.pattern}/`)
            return (
              <li key={route.pattern}>
                <a className="nav-link" href={hrefFor(target)} aria-current={isActive ? 'page' : undefined}>
                  <span className="nav-glyph" aria-hidden="true">
                    {route.nav?.glyph}
                  </span>
                  {route.nav?.label}
                </a>
              </li>
            )
          })}
        </ul>
        <SidebarFooter />
      </nav>
      <main className="main">
        <DemoBanner />
        <ImportBanner />
        {match ? (
          <ErrorBoundary resetKey={location.path}>
            <match.route.component params={match.params} search={location.search} />
          </ErrorBoundary>
        ) : null}
      </main>
    </div>
  )
}

function SidebarFooter() {
  const totals = useAppStore((s) => s.totals)
  const info = useAppStore((s) => s.info)
  const infoError = useAppStore((s) => s.infoError)
  return (
    <div className="sidebar-footer">
      {infoError ? <p className="sidebar-error">{infoError}</p> : null}
      {totals ? (
        <dl className="sidebar-totals">
          <dt>Recordings</dt>
          <dd>{formatCount(totals.recordings)}</dd>
          <dt>Persons</dt>
          <dd>{formatCount(totals.persons)}</dd>
          <dt>Events</dt>
          <dd>{formatCount(totals.events)}</dd>
        </dl>
      ) : null}
      {info ? (
        <p className="sidebar-version" title={info.dataDir}>
          v{info.version} · {info.shell === 'web' ? 'web' : 'desktop'}
        </p>
      ) : null}
    </div>
  )
}

function DemoBanner() {
  const info = useAppStore((s) => s.info)
  const isDismissed = useAppStore((s) => s.isDemoBannerDismissed)
  const dismiss = useAppStore((s) => s.dismissDemoBanner)
  if (!info?.demoImported || isDismissed) return null
  return (
    <div className="banner banner-info" role="status" data-testid="demo-banner">
      <span>
        <strong>Demo data.</strong> The cache was empty, so Tapedeck imported the bundled demo dataset (acme-small:
        a fictional shop recorded with posthog-js). Import your own exports with{' '}
        <code>tapedeck import &lt;folder&gt;</code>.
      </span>
      <button type="button" className="button button-quiet" onClick={dismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  )
}

function ImportBanner() {
  const progress = useAppStore((s) => s.importProgress)
  if (!progress) return null
  const percent = progress.bytesTotal > 0 ? Math.round((progress.bytesDone / progress.bytesTotal) * 100) : 0
  return (
    <div className="banner banner-progress" role="status">
      <span>
        Importing {progress.filesDone} of {progress.filesTotal} files ({percent}%)
        {progress.currentFile ? ` · ${progress.currentFile.split(/[\\/]/).pop()}` : ''}
      </span>
      <progress max={100} value={percent} />
    </div>
  )
}
