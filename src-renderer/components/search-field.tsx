import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react'

/**
 * The typing behaviour every search input shares: the text follows `value` when it changes from outside (back and
 * forward, a saved view), applies after a short pause or on Enter, and Escape clears it.
 *
 * Returns the props to spread on the `<input>`.
 */
export function useDebouncedSearch(value: string, onChange: (text: string) => void, debounceMs: number) {
  const [text, setText] = useState(value)
  const [appliedValue, setAppliedValue] = useState(value)
  const timer = useRef<number | undefined>(undefined)
  if (value !== appliedValue) {
    setAppliedValue(value)
    setText(value)
  }
  useEffect(() => () => window.clearTimeout(timer.current), [])
  const apply = (next: string) => {
    window.clearTimeout(timer.current)
    if (next !== value) onChange(next)
  }
  return {
    value: text,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const next = event.target.value
      setText(next)
      window.clearTimeout(timer.current)
      timer.current = window.setTimeout(() => apply(next), debounceMs)
    },
    onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key === 'Enter') apply(text)
      if (event.key === 'Escape' && text) {
        setText('')
        apply('')
      }
    }
  }
}

/** A search input that applies after a short pause or on Enter, and follows `value` when it changes from outside. */
export function SearchField({
  value,
  onChange,
  label,
  placeholder,
  debounceMs = 200
}: {
  value: string
  onChange: (text: string) => void
  label: string
  placeholder?: string
  debounceMs?: number
}) {
  const search = useDebouncedSearch(value, onChange, debounceMs)
  return (
    <input
      type="search"
      className="input search-field"
      aria-label={label}
      placeholder={placeholder}
      spellCheck={false}
      {...search}
    />
  )
}
