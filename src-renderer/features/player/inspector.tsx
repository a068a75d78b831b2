import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { formatClock } from '../../components/format'
import { usePlayer, usePlayerStore } from './player-store'
import { filterInspectorRows, findCurrentRowIndex, type InspectorRow, type InspectorTab, type LevelFilter } from './timeline'

const ROW_HEIGHT = 28

const KIND_LABELS: Record<InspectorRow['kind'], string> = {
  navigation: 'Page',
  click: 'Click',
  keypress: 'Keys',
  custom: 'Custom',
  console: 'Console',
  network: 'Network',
  event: 'Event',
  exception: 'Error'
}

/** Tabs All / Events / Console / Exceptions (/ Network): rows at their time, the current one highlighted. */
export function Inspector() {
  const rows = usePlayer((s) => s.rows)
  const hasNetwork = usePlayer((s) => s.detail.hasNetwork || s.rows.some((r) => r.kind === 'network'))
  const tab = usePlayer((s) => s.inspectorTab)
  const text = usePlayer((s) => s.inspectorText)
  const level = usePlayer((s) => s.inspectorLevel)
  const focusedRowKey = usePlayer((s) => s.focusedRowKey)
  const currentOffsetMs = usePlayer((s) => s.currentOffsetMs)
  const engineState = usePlayer((s) => s.engineState)
  const windows = usePlayer((s) => s.detail.windows)
  const timelineStatus = usePlayer((s) => s.timelineStatus)
  const timelineError = usePlayer((s) => s.timelineError)
  const store = usePlayerStore()
  const windowIndex = useMemo(
    () => (windows.length > 1 ? new Map(windows.map((w) => [w.windowId, w.index])) : null),
    [windows]
  )
  const scrollRef = useRef<HTMLDivElement>(null)
  const [expandedKey, setExpandedKey] = useState<string | null>(null)

  const counts = useMemo(() => {
    const countOf = (t: InspectorTab) => filterInspectorRows(rows, t, '', 'all').length
    return { all: rows.length, events: countOf('events'), console: countOf('console'), exceptions: countOf('exceptions'), network: countOf('network') }
  }, [rows])
  const visible = useMemo(() => filterInspectorRows(rows, tab, text, level), [rows, tab, text, level])
  const currentIndex = findCurrentRowIndex(visible, currentOffsetMs)
  const focusedIndex = focusedRowKey ? visible.findIndex((r) => r.key === focusedRowKey) : -1

  // eslint-disable-next-line react-hooks/incompatible-library -- @tanstack/react-virtual is not compiler-safe (#TanStack/virtual 743)
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10
  })

  // Keep the current row in view while playing; jump to a row asked for by "show in inspector".
  useEffect(() => {
    if (focusedIndex >= 0) {
      virtualizer.scrollToIndex(focusedIndex, { align: 'center' })
      setExpandedKey(focusedRowKey)
    }
  }, [focusedIndex, focusedRowKey, virtualizer])
  useEffect(() => {
    if (engineState === 'playing' && currentIndex >= 0 && focusedIndex < 0) virtualizer.scrollToIndex(currentIndex, { align: 'auto' })
  }, [currentIndex, engineState, focusedIndex, virtualizer])

  const tabs: Array<[InspectorTab, string]> = [
    ['all', 'All'],
    ['events', 'Events'],
    ['console', 'Console'],
    ['exceptions', 'Exceptions']
  ]
  if (hasNetwork) tabs.push(['network', 'Network'])
  const expanded = visible.find((r) => r.key === expandedKey) ?? null

  return (
    <aside className="inspector" aria-label="Inspector">
      <div className="inspector-tabs" role="tablist">
        {tabs.map(([value, label]) => (
          <button
            key={value}
            type="button"
            role="tab"
            aria-selected={tab === value}
            className="inspector-tab"
            onClick={() => store.getState().setInspectorTab(value)}
          >
            {label}
            <span className="inspector-count">{counts[value]}</span>
          </button>
        ))}
      </div>
      <div className="inspector-filters">
        <input
          className="input"
          type="search"
          aria-label="Filter inspector"
          placeholder="Filter"
          value={text}
          onChange={(event) => store.getState().setInspectorText(event.target.value)}
        />
        <select
          className="select"
          aria-label="Level"
          value={level}
          onChange={(event) => store.getState().setInspectorLevel(event.target.value as LevelFilter)}
        >
          <option value="all">All levels</option>
          <option value="error">Errors</option>
          <option value="warn">Warnings</option>
          <option value="info">Info</option>
        </select>
      </div>
      <div className="inspector-rows" ref={scrollRef} role="list" aria-label={`${tab} rows`}>
        {timelineStatus === 'loading' ? (
          <p className="inspector-empty" role="status">
            Loading events…
          </p>
        ) : timelineStatus === 'failed' ? (
          <p className="inspector-empty" role="alert">
            The events and console output of this recording could not be loaded: {timelineError} The replay still
            works; reopen the recording to try again.
          </p>
        ) : visible.length === 0 ? (
          <p className="inspector-empty">{rows.length === 0 ? 'Nothing was captured besides the page itself.' : 'No rows match.'}</p>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = visible[item.index] as InspectorRow
              const isCurrent = item.index === currentIndex
              const isPast = row.offsetMs <= currentOffsetMs
              return (
                <button
                  key={row.key}
                  type="button"
                  role="listitem"
                  className={`inspector-row inspector-kind-${row.kind} inspector-level-${(row.level ?? 'info').toLowerCase()}${isCurrent ? ' inspector-row-current' : ''}${isPast ? '' : ' inspector-row-future'}${row.key === expandedKey ? ' inspector-row-expanded' : ''}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  aria-current={isCurrent ? 'true' : undefined}
                  data-testid="inspector-row"
                  onClick={() => {
                    setExpandedKey(row.key)
                    store.getState().seekToOffset(row.offsetMs)
                  }}
                  title={row.detail ?? row.label}
                >
                  <span className="inspector-time">{formatClock(row.offsetMs)}</span>
                  <span className="inspector-kind">{row.kind === 'console' && row.level ? row.level : KIND_LABELS[row.kind]}</span>
                  <span className="inspector-label">
                    {windowIndex && row.windowId && windowIndex.has(row.windowId) ? (
                      <span className="inspector-window" title="Window">
                        W{windowIndex.get(row.windowId)}
                      </span>
                    ) : null}
                    {row.label}
                  </span>
                </button>
              )
            })}
          </div>
        )}
      </div>
      {expanded?.detail ? (
        <div className="inspector-detail">
          <header>
            <strong>{expanded.label}</strong>
            <button type="button" className="button button-quiet button-icon" aria-label="Close details" onClick={() => setExpandedKey(null)}>
              ✕
            </button>
          </header>
          <pre>{expanded.detail}</pre>
        </div>
      ) : null}
    </aside>
  )
}
