import type { ComponentType } from 'react'

/** What a routed screen receives. */
export type RouteProps = {
  /** `:name` parameters of the matched pattern, decoded. */
  params: Record<string, string>
  /** The hash's query (filters, `t=` for the player). */
  search: URLSearchParams
}

/** One screen of the app. Features export their routes; app/routes.ts lists them. */
export type AppRoute = {
  /** Path pattern, e.g. `/recordings/:id`. */
  pattern: string
  component: ComponentType<RouteProps>
  /** Present for screens that have an entry in the sidebar. */
  nav?: {
    label: string
    /** Where the entry leads (defaults to the pattern). */
    target?: string
    /** Sidebar order, low first. */
    order: number
    /** One letter drawn as the entry's icon. */
    glyph: string
  }
  /** Also highlight this route's nav entry for paths starting with this prefix (`/recordings` for the player). */
  navGroup?: string
}
