import { useEffect, useRef, useState } from 'react'
import { filtersFromQuery, filtersToQuery, type RecordingFilters } from './recording-filters'
import { useSavedViewsStore } from './saved-views-store'

/** "Views" menu: apply, save and delete named filter sets. */
export function SavedViewsMenu({
  filters,
  onApply
}: {
  filters: RecordingFilters
  onApply: (filters: RecordingFilters) => void
}) {
  const views = useSavedViewsStore((s) => s.views)
  const status = useSavedViewsStore((s) => s.status)
  const errorMessage = useSavedViewsStore((s) => s.errorMessage)
  const load = useSavedViewsStore((s) => s.load)
  const save = useSavedViewsStore((s) => s.save)
  const remove = useSavedViewsStore((s) => s.remove)
  const [isOpen, setOpen] = useState(false)
  const [name, setName] = useState('')
  const root = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (status === 'idle') void load()
  }, [status, load])

  useEffect(() => {
    if (!isOpen) return
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false)
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false)
    }
    window.addEventListener('pointerdown', onPointer)
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('pointerdown', onPointer)
      window.removeEventListener('keydown', onKey)
    }
  }, [isOpen])

  const submit = async () => {
    const trimmed = name.trim()
    if (!trimmed) return
    const view = await save(trimmed, filtersToQuery(filters, Date.now()))
    if (view) setName('')
  }

  return (
    <div className="menu" ref={root}>
      <button
        type="button"
        className="button"
        aria-haspopup="dialog"
        aria-expanded={isOpen}
        onClick={() => setOpen(!isOpen)}
      >
        Saved views{views.length > 0 ? ` (${views.length})` : ''} ▾
      </button>
      {isOpen ? (
        <div className="menu-popover" role="dialog" aria-label="Saved views">
          {views.length === 0 ? <p className="menu-empty">No saved views yet.</p> : null}
          <ul className="menu-list">
            {views.map((view) => (
              <li key={view.id} className="menu-item">
                <button
                  type="button"
                  className="menu-item-main"
                  onClick={() => {
                    onApply(filtersFromQuery(view.query))
                    setOpen(false)
                  }}
                >
                  {view.name}
                </button>
                <button
                  type="button"
                  className="button button-quiet button-icon"
                  aria-label={`Delete view ${view.name}`}
                  onClick={() => void remove(view.id)}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
          <form
            className="menu-form"
            onSubmit={(event) => {
              event.preventDefault()
              void submit()
            }}
          >
            <input
              className="input"
              aria-label="View name"
              placeholder="Name the current filters"
              value={name}
              maxLength={200}
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="button button-primary" disabled={!name.trim()}>
              Save
            </button>
          </form>
          {errorMessage ? <p className="menu-error">{errorMessage}</p> : null}
        </div>
      ) : null}
    </div>
  )
}
