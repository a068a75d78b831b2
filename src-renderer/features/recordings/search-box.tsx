import { useEffect, useRef, useState } from 'react'

const DEBOUNCE_MS = 120

/** The full-text search field ("Search recordings"): types freely, applies after a short pause or on Enter. */
export function SearchBox({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const [text, setText] = useState(value)
  const [appliedValue, setAppliedValue] = useState(value)
  const timer = useRef<number | undefined>(undefined)
  const input = useRef<HTMLInputElement>(null)

  // Follow the URL when it changes from outside (back/forward, a saved view).
  if (value !== appliedValue) {
    setAppliedValue(value)
    setText(value)
  }

  useEffect(() => () => window.clearTimeout(timer.current), [])

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

  const apply = (next: string) => {
    window.clearTimeout(timer.current)
    if (next !== value) onChange(next)
  }

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
        value={text}
        spellCheck={false}
        onChange={(event) => {
          const next = event.target.value
          setText(next)
          window.clearTimeout(timer.current)
          timer.current = window.setTimeout(() => apply(next), DEBOUNCE_MS)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply(text)
          if (event.key === 'Escape' && text) {
            setText('')
            apply('')
          }
        }}
      />
      <kbd className="search-hint" aria-hidden="true">
        /
      </kbd>
    </div>
  )
}
