import { EmptyState } from '../components/empty-state'
import type { AppRoute } from './route-types'
import { useScreenReady } from './app-store'

function PlaceholderScreen({ title, description }: { title: string; description: string }) {
  useScreenReady('ready')
  return (
    <div className="screen">
      <header className="screen-header">
        <h1>{title}</h1>
      </header>
      <EmptyState title={`${title} is not here yet`}>{description}</EmptyState>
    </div>
  )
}

/** A sidebar entry and screen for a feature that has not landed yet. */
export function placeholderRoute(
  pattern: string,
  label: string,
  order: number,
  glyph: string,
  description: string
): AppRoute {
  return {
    pattern,
    component: () => <PlaceholderScreen title={label} description={description} />,
    nav: { label, order, glyph }
  }
}
