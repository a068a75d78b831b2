import { useEffect, useRef } from 'react'
import { useDebouncedSearch } from '../../components/search-field'

const DEBOUNCE_MS = 120

/** The full-text search field ("Search recordings"): types freely, applies after a short pause or on Enter. */
export function SearchBox({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const search = useDebouncedSearch(value, onChange, DEBOUNCE_MS)
  const input = useRef<HTMLInputElement>(null)

  // `/` focuses the search from anywhere but another field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target instanceof Element ? event.target : null
      const isTyping = target?.closest('input, textarea, select, [contenteditable="true"]')
      if (event.key === '/' && !isTyping) {
        event.preventDefault()
        input.current?.focus()
        input.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <div className="search-box">
      <svg className="search-icon" viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <input
        ref={input}
        type="search"
        className="input search-input"
        aria-label="Search recordings"
        placeholder="Email, name, URL, console text, error…"
        spellCheck={false}
        {...search}
      />
      <kbd className="search-hint" aria-hidden="true">
        /
      </kbd>
    </div>
  )
}
