import { useEffect } from 'react'
import type { DeviceInfo, PersonTimelineSession } from '@shared/analytics'
import { useScreenReady } from '../../app/app-store'
import { hrefFor } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { formatDateTime, formatDuration } from '../../components/format'
import { recordingTarget } from '../../components/recording-target'
import { usePersonStore } from './person-store'

/** `Desktop · Chrome · Windows`, or `Unknown device`. */
export function describeDevice(device: DeviceInfo | null): string {
  if (!device) return 'Unknown device'
  const parts = [device.deviceType, device.browser, device.os].filter((p): p is string =>
    Boolean(p)
  )
  return parts.length > 0 ? parts.join(' · ') : 'Unknown device'
}

/** A stable key for a device: its `$device_id`, else what it looks like. */
export function deviceKeyOf(device: DeviceInfo | null): string {
  if (!device) return 'unknown'
  return device.deviceId ?? describeDevice(device)
}

/** The person's sessions across devices and windows, oldest first, each opening its recording. */
export function PersonTimelineTab() {
  const loadTimeline = usePersonStore((s) => s.loadTimeline)
  const timeline = usePersonStore((s) => s.timeline)
  const status = usePersonStore((s) => s.timelineStatus)
  const error = usePersonStore((s) => s.timelineError)
  useEffect(() => {
    void loadTimeline()
  }, [loadTimeline])
  useScreenReady(status === 'error' ? 'error' : status === 'ready' ? 'ready' : 'loading')

  if (status === 'error') {
    return (
      <EmptyState tone="error" title="The timeline could not be loaded">
        <p>{error}</p>
      </EmptyState>
    )
  }
  if (!timeline) return null
  if (timeline.sessions.length === 0) {
    return (
      <EmptyState title="No sessions">
        <p>This person has no session id in their events and no recording.</p>
      </EmptyState>
    )
  }
  const deviceKeys = [...new Set(timeline.sessions.map((s) => deviceKeyOf(s.device)))]
  return (
    <div className="person-timeline">
      <DeviceLanes sessions={timeline.sessions} deviceKeys={deviceKeys} />
      <ol className="timeline-list" aria-label="Sessions">
        {timeline.sessions.map((session) => (
          <TimelineRow
            key={session.sessionId}
            session={session}
            lane={deviceKeys.indexOf(deviceKeyOf(session.device))}
          />
        ))}
      </ol>
    </div>
  )
}

/** One lane per device, sessions drawn where they happened in the person's overall span. */
function DeviceLanes({
  sessions,
  deviceKeys
}: {
  sessions: PersonTimelineSession[]
  deviceKeys: string[]
}) {
  const start = sessions[0]?.startedAtMs ?? 0
  const end = Math.max(...sessions.map((s) => s.endedAtMs))
  const span = Math.max(1, end - start)
  return (
    <div className="device-lanes" aria-hidden="true">
      {deviceKeys.map((key, lane) => {
        const laneSessions = sessions.filter((s) => deviceKeyOf(s.device) === key)
        return (
          <div key={key} className="device-lane">
            <span className={`device-swatch lane-${lane % 6}`} />
            <span className="device-lane-label">
              {describeDevice(laneSessions[0]?.device ?? null)}
            </span>
            <div className="device-lane-track">
              {laneSessions.map((s) => (
                <span
                  key={s.sessionId}
                  className={`device-lane-block lane-${lane % 6}`}
                  style={{
                    left: `${((s.startedAtMs - start) / span) * 100}%`,
                    width: `max(3px, ${((s.endedAtMs - s.startedAtMs) / span) * 100}%)`
                  }}
                  title={`${formatDateTime(s.startedAtMs)} · ${formatDuration(s.durationMs)}`}
                />
              ))}
            </div>
          </div>
        )
      })}
    </div>
  )
}

function TimelineRow({ session, lane }: { session: PersonTimelineSession; lane: number }) {
  return (
    <li className="timeline-row" data-testid="timeline-session" data-session-id={session.sessionId}>
      <span className={`device-swatch lane-${lane % 6}`} aria-hidden="true" />
      <div className="timeline-main">
        <div className="timeline-line">
          <strong>{formatDateTime(session.startedAtMs)}</strong>
          <span className="muted">{formatDuration(session.durationMs)}</span>
          <span>{describeDevice(session.device)}</span>
          {session.windowCount > 1 ? (
            <span className="badge badge-neutral">{session.windowCount} windows</span>
          ) : null}
          {session.exceptions > 0 ? (
            <span className="badge badge-danger">
              {session.exceptions} exception{session.exceptions === 1 ? '' : 's'}
            </span>
          ) : null}
          <span className="muted">
            {session.pageviews} pageview{session.pageviews === 1 ? '' : 's'} · {session.events}{' '}
            events
          </span>
        </div>
        {session.pages.length > 0 ? (
          <div className="timeline-pages mono" title={session.pages.join(' → ')}>
            {session.pages.join(' → ')}
          </div>
        ) : null}
      </div>
      {session.recordingId ? (
        <a className="button" href={hrefFor(recordingTarget(session.recordingId))}>
          ▶ Watch
        </a>
      ) : (
        <span className="muted nowrap">No recording</span>
      )}
    </li>
  )
}
