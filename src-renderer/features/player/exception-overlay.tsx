import { formatClock } from '../../components/format'
import { findNextException } from './timeline'
import { selectOverlayException, usePlayer, usePlayerStore } from './player-store'

const SOURCE_LABELS = { event: 'Exception', console: 'Console error', custom: 'Error event' } as const

/** The banner over the replay once playback has reached an exception: type, message, top frames, navigation. */
export function ExceptionOverlay() {
  const exception = usePlayer(selectOverlayException)
  const startMs = usePlayer((s) => s.detail.summary.startedAtMs)
  const exceptions = usePlayer((s) => s.exceptions)
  const store = usePlayerStore()
  if (!exception) return null

  const index = exceptions.findIndex((e) => e.id === exception.id)
  const hasNext = findNextException(exceptions, exception.timestampMs) !== null
  // PostHog lists frames oldest call first; the frame that threw is the last one.
  const frames = [...exception.frames].reverse().slice(0, 3)

  return (
    <section
      className="exception-overlay"
      data-testid="exception-overlay"
      data-exception-id={exception.id}
      role="alert"
      aria-label="Exception"
    >
      <header className="exception-overlay-header">
        <span className="badge badge-danger">{SOURCE_LABELS[exception.source]}</span>
        <span className="exception-overlay-when">
          {index + 1} of {exceptions.length} · at {formatClock(exception.timestampMs - startMs)}
          {exception.handled === false ? ' · unhandled' : ''}
        </span>
        <button
          type="button"
          className="button button-quiet button-icon"
          aria-label="Close"
          onClick={() => store.getState().dismissException(exception.id)}
        >
          ✕
        </button>
      </header>
      <p className="exception-overlay-message">
        {exception.type ? <strong data-testid="exception-type">{exception.type}: </strong> : null}
        <span data-testid="exception-message">{exception.message ?? 'No message'}</span>
      </p>
      {frames.length > 0 ? (
        <ol className="exception-overlay-frames">
          {frames.map((frame, i) => (
            <li key={i}>
              <code>
                {frame.function || '<anonymous>'}
                {frame.filename ? (
                  <span className="frame-location">
                    {' '}
                    {frame.filename.replace(/^https?:\/\/[^/]+/, '')}
                    {frame.lineno !== null ? `:${frame.lineno}` : ''}
                    {frame.colno !== null ? `:${frame.colno}` : ''}
                  </span>
                ) : null}
              </code>
            </li>
          ))}
        </ol>
      ) : exception.stackText ? (
        <pre className="exception-overlay-stack">{exception.stackText.split('\n').slice(0, 3).join('\n')}</pre>
      ) : null}
      <footer className="exception-overlay-actions">
        <button type="button" className="button" onClick={() => store.getState().showExceptionInInspector(exception.id)}>
          Show in inspector
        </button>
        <button type="button" className="button" disabled={!hasNext} onClick={() => store.getState().goToNextException()}>
          Next exception <kbd>n</kbd>
        </button>
      </footer>
    </section>
  )
}
