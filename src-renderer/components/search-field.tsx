import { useEffect, useRef, useState } from 'react'

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
  return (
    <input
      type="search"
      className="input search-field"
      aria-label={label}
      placeholder={placeholder}
      value={text}
      spellCheck={false}
      onChange={(event) => {
        const next = event.target.value
        setText(next)
        window.clearTimeout(timer.current)
        timer.current = window.setTimeout(() => apply(next), debounceMs)
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply(text)
        if (event.key === 'Escape' && text) {
          setText('')
          apply('')
        }
      }}
    />
  )
}
