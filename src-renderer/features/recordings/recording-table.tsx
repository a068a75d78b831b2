import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { RecordingSort, RecordingSummary } from '@shared/domain'
import { hrefFor, navigate } from '../../app/router'
import { formatDateTime, formatDuration, formatUrl } from '../../components/format'
import { requestOpeningEarly } from '../player/opening-requests'
import { PAGE_SIZE, selectRow, useRecordingListStore, type RecordingListStore } from './recording-list-store'

const ROW_HEIGHT = 34

/** Where a row leads: the player, or straight to the first exception when that badge is clicked. */
export function playerTarget(id: string, atFirstException = false): string {
  return `/recordings/${encodeURIComponent(id)}${atFirstException ? '?at=exception' : ''}`
}

function personLabel(row: RecordingSummary): { text: string; isId: boolean } {
  if (row.personEmail) return { text: row.personEmail, isId: false }
  if (row.personName) return { text: row.personName, isId: false }
  return { text: row.distinctId ?? 'Anonymous', isId: true }
}

type SortColumn = { label: string; sort?: RecordingSort; alt?: RecordingSort; className: string }

const COLUMNS: SortColumn[] = [
  { label: 'Person', className: 'col-person' },
  { label: 'Started', sort: 'latest', alt: 'oldest', className: 'col-started' },
  { label: 'Duration', sort: 'longest', className: 'col-duration' },
  { label: 'Active', sort: 'most-active', className: 'col-active' },
  { label: 'Start URL', className: 'col-url' },
  { label: 'Issues', sort: 'most-errors', className: 'col-issues' }
]

/**
 * The virtualised recording table; rows are fetched page by page as they scroll into view. `store` defaults to the
 * main list's; the person page passes its own (same rows, a person's query).
 */
export function RecordingTable({
  sort,
  onSort,
  store = useRecordingListStore
}: {
  sort: RecordingSort
  onSort: (sort: RecordingSort) => void
  store?: RecordingListStore
}) {
  const total = store((s) => s.total)
  const pages = store((s) => s.pages)
  const query = store((s) => s.query)
  const ensureRange = store((s) => s.ensureRange)
  const scrollRef = useRef<HTMLDivElement>(null)
  const [selected, setSelected] = useState(0)

  // The hook returns functions React Compiler must not memoise; the table re-renders with its store anyway.
  // eslint-disable-next-line react-hooks/incompatible-library -- @tanstack/react-virtual is not compiler-safe (#TanStack/virtual 743)
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0

  useEffect(() => {
    ensureRange(first, last)
  }, [first, last, ensureRange, pages])

  // A new query starts at the top.
  useEffect(() => {
    setSelected(0)
    scrollRef.current?.scrollTo({ top: 0 })
  }, [query])

  const open = (index: number, atFirstException = false) => {
    const row = selectRow(store.getState(), index)
    if (row) navigate(playerTarget(row.id, atFirstException))
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    let next = selected
    if (event.key === 'ArrowDown') next = Math.min(total - 1, selected + 1)
    else if (event.key === 'ArrowUp') next = Math.max(0, selected - 1)
    else if (event.key === 'PageDown') next = Math.min(total - 1, selected + 20)
    else if (event.key === 'PageUp') next = Math.max(0, selected - 20)
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = total - 1
    else if (event.key === 'Enter') {
      event.preventDefault()
      open(selected)
      return
    } else return
    event.preventDefault()
    setSelected(next)
    virtualizer.scrollToIndex(next, { align: 'auto' })
    window.requestAnimationFrame(() => {
      scrollRef.current?.querySelector<HTMLElement>(`[aria-rowindex="${next + 2}"]`)?.focus()
    })
  }

  return (
    <div className="table" role="grid" aria-label="Recordings" aria-rowcount={total + 1} onKeyDown={onKeyDown}>
      <div className="table-head" role="row" aria-rowindex={1}>
        {COLUMNS.map((column) => {
          const isSorted = column.sort === sort || column.alt === sort
          return (
            <div
              key={column.label}
              role="columnheader"
              className={`table-cell ${column.className}`}
              aria-sort={isSorted ? (sort === 'oldest' ? 'ascending' : 'descending') : undefined}
            >
              {column.sort ? (
                <button
                  type="button"
                  className={`sort-button${isSorted ? ' sort-button-active' : ''}`}
                  onClick={() => onSort(column.sort === sort && column.alt ? column.alt : (column.sort as RecordingSort))}
                >
                  {column.label}
                  <span aria-hidden="true">{isSorted ? (sort === 'oldest' ? ' ↑' : ' ↓') : ''}</span>
                </button>
              ) : (
                column.label
              )}
            </div>
          )
        })}
      </div>
      <div className="table-body" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = pages[Math.floor(item.index / PAGE_SIZE)]?.[item.index % PAGE_SIZE]
            return (
              <RecordingRow
                key={row?.id ?? `pending-${item.index}`}
                index={item.index}
                top={item.start}
                row={row}
                isSelected={item.index === selected}
                onSelect={() => setSelected(item.index)}
                onOpen={(atException) => open(item.index, atException)}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}

function RecordingRow({
  index,
  top,
  row,
  isSelected,
  onSelect,
  onOpen
}: {
  index: number
  top: number
  row: RecordingSummary | undefined
  isSelected: boolean
  onSelect: () => void
  onOpen: (atFirstException: boolean) => void
}) {
  const style = { transform: `translateY(${top}px)`, height: ROW_HEIGHT }
  if (!row) {
    return (
      <div className="table-row table-row-pending" role="row" aria-rowindex={index + 2} style={style}>
        <div className="table-cell col-person">
          <span className="skeleton" />
        </div>
      </div>
    )
  }
  const person = personLabel(row)
  return (
    <div
      className={`table-row${row.viewed ? '' : ' table-row-unviewed'}${isSelected ? ' table-row-selected' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={isSelected}
      tabIndex={isSelected ? 0 : -1}
      data-testid="recording-row"
      data-recording-id={row.id}
      style={style}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest('a')) return
        onSelect()
        onOpen(false)
      }}
      // A press on the row (not a middle click or a modified one, which open elsewhere or select) asks for the
      // recording while the button is down: the click that opens it comes 60–150 ms later.
      onPointerDown={(event) => {
        if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey) requestOpeningEarly(row.id)
      }}
      onFocus={onSelect}
    >
      <div className="table-cell col-person" role="gridcell">
        <span className={`viewed-dot${row.viewed ? ' viewed-dot-seen' : ''}`} title={row.viewed ? 'Viewed' : 'Not viewed yet'} />
        <a
          className={`person-link${person.isId ? ' person-id' : ''}`}
          href={hrefFor(playerTarget(row.id))}
          tabIndex={-1}
          title={person.text}
        >
          {person.text}
        </a>
      </div>
      <div className="table-cell col-started" role="gridcell">
        {formatDateTime(row.startedAtMs)}
      </div>
      <div className="table-cell col-duration num" role="gridcell">
        {formatDuration(row.durationMs)}
      </div>
      <div className="table-cell col-active num" role="gridcell">
        <span className="active-bar" aria-hidden="true">
          <span style={{ width: `${row.durationMs > 0 ? Math.min(100, (row.activeMs / row.durationMs) * 100) : 0}%` }} />
        </span>
        {formatDuration(row.activeMs)}
      </div>
      <div className="table-cell col-url" role="gridcell" title={row.startUrl ?? ''}>
        {formatUrl(row.startUrl)}
        {row.windowCount > 1 ? <span className="badge badge-neutral">{row.windowCount} windows</span> : null}
      </div>
      <div className="table-cell col-issues" role="gridcell">
        {row.brokenReason ? (
          <span className="badge badge-neutral" title={row.brokenReason}>
            Broken
          </span>
        ) : null}
        {row.exceptionCount > 0 ? (
          <a
            className="badge badge-danger"
            href={hrefFor(playerTarget(row.id, true))}
            tabIndex={-1}
            title={`${row.exceptionCount} exception${row.exceptionCount === 1 ? '' : 's'}: open at the first one`}
            data-testid="exception-badge"
          >
            ⚠ {row.exceptionCount}
          </a>
        ) : null}
        {row.consoleErrorCount > 0 ? (
          <span
            className="badge badge-warning"
            title={`${row.consoleErrorCount} console error${row.consoleErrorCount === 1 ? '' : 's'}`}
            data-testid="console-error-badge"
          >
            ● {row.consoleErrorCount}
          </span>
        ) : null}
      </div>
    </div>
  )
}
