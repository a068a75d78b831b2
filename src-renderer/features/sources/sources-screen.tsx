import { useEffect, useState, type FormEvent } from 'react'
import type { SourceInfo, SyncStatus } from '@shared/contract/sync-channels'
import { shellKind } from '../../api-client'
import { useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { EmptyState } from '../../components/empty-state'
import { OfflineAssetsPanel } from '../assets/offline-assets-panel'
import { formatDateTime } from '../../components/format'
import { isSyncActive, useSourcesStore } from './sources-store'
import { describeLocation, describeProgress, describeRun, progressFraction } from './sync-format'
import './sources.css'

/** Watched folders and PostHog projects: what they brought in, a live sync bar, and forms to add more. */
export function SourcesScreen(_props: RouteProps) {
  const status = useSourcesStore((s) => s.status)
  const errorMessage = useSourcesStore((s) => s.errorMessage)
  const sources = useSourcesStore((s) => s.sources)
  const sync = useSourcesStore((s) => s.sync)
  const actionMessage = useSourcesStore((s) => s.actionMessage)
  const load = useSourcesStore((s) => s.load)
  const listen = useSourcesStore((s) => s.listen)
  const startSync = useSourcesStore((s) => s.startSync)

  useEffect(() => {
    void load()
    return listen()
  }, [load, listen])
  useScreenReady(status === 'ready' ? 'ready' : status === 'error' ? 'error' : 'loading')

  const isActive = isSyncActive(sync)
  return (
    <div className="screen sources-screen">
      <header className="screen-header">
        <h1>Sources</h1>
        <button
          type="button"
          className="button button-primary"
          disabled={isActive || sources.length === 0}
          onClick={() => void startSync({})}
        >
          Sync all
        </button>
      </header>
      <div className="sources-body">
        {actionMessage ? (
          <div className="banner banner-info sources-message" role="alert">
            <span>{actionMessage}</span>
          </div>
        ) : null}
        <SyncPanel sync={sync} />
        <OfflineAssetsPanel />
        {status === 'error' ? (
          <EmptyState
            title="The sources could not be loaded"
            tone="error"
            action={
              <button type="button" className="button" onClick={() => void load()}>
                Retry
              </button>
            }
          >
            {errorMessage}
          </EmptyState>
        ) : (
          <section aria-labelledby="sources-list-title">
            <h2 id="sources-list-title" className="sources-section-title">
              Synced from
            </h2>
            {sources.length === 0 && status === 'ready' ? (
              <p className="sources-empty">
                No sources yet. Add a folder of exports to import it and keep it in step, or a
                PostHog project to download its recordings.
              </p>
            ) : (
              <ul className="sources-list" data-testid="sources-list">
                {sources.map((source) => (
                  <SourceRow key={source.id} source={source} isSyncActive={isActive} />
                ))}
              </ul>
            )}
          </section>
        )}
        <section aria-labelledby="sources-add-title" className="sources-add">
          <h2 id="sources-add-title" className="sources-section-title">
            Add a source
          </h2>
          <div className="sources-forms">
            <AddFolderForm />
            <AddPostHogForm />
          </div>
        </section>
      </div>
    </div>
  )
}

function SyncPanel({ sync }: { sync: SyncStatus }) {
  const pause = useSourcesStore((s) => s.pause)
  const resume = useSourcesStore((s) => s.resume)
  const cancel = useSourcesStore((s) => s.cancel)
  const progress = sync.progress
  if (isSyncActive(sync)) {
    const fraction = progress ? progressFraction(progress) : null
    return (
      <div className="sync-panel" role="status" aria-live="polite" data-testid="sync-progress">
        <div className="sync-panel-line">
          <strong>
            {sync.state === 'cancelling'
              ? 'Stopping'
              : sync.state === 'paused'
                ? 'Paused'
                : 'Syncing'}
            {progress ? ` ${progress.sourceName}` : ''}
            {progress && progress.sourcesTotal > 1
              ? ` (${progress.sourcesDone + 1} of ${progress.sourcesTotal})`
              : ''}
          </strong>
          <span className="sync-panel-detail">
            {progress ? describeProgress(progress) : 'Starting…'}
          </span>
        </div>
        <progress
          className="sync-bar"
          max={1}
          value={fraction ?? undefined}
          aria-label="Sync progress"
        />
        <div className="sync-panel-actions">
          {sync.state === 'paused' ? (
            <button type="button" className="button" onClick={() => void resume()}>
              Resume
            </button>
          ) : (
            <button
              type="button"
              className="button"
              disabled={sync.state === 'cancelling'}
              onClick={() => void pause()}
            >
              Pause
            </button>
          )}
          <button
            type="button"
            className="button button-quiet"
            disabled={sync.state === 'cancelling'}
            onClick={() => void cancel()}
          >
            Cancel
          </button>
        </div>
      </div>
    )
  }
  const last = sync.lastSummary
  if (!last) return null
  const failed = last.runs.reduce((sum, run) => sum + run.itemsFailed, 0)
  return (
    <div className={`sync-panel sync-panel-${last.status}`} role="status" data-testid="sync-last">
      <div className="sync-panel-line">
        <strong>
          {last.status === 'completed'
            ? 'Sync finished'
            : last.status === 'cancelled'
              ? 'Sync cancelled'
              : 'Sync failed'}
        </strong>
        <span className="sync-panel-detail">
          {formatDateTime(last.finishedAtMs)}
          {failed > 0 ? ` · ${failed} item${failed === 1 ? '' : 's'} failed (see below)` : ''}
          {last.error ? ` · ${last.error}` : ''}
        </span>
      </div>
    </div>
  )
}

function SourceRow({
  source,
  isSyncActive: isActive
}: {
  source: SourceInfo
  isSyncActive: boolean
}) {
  const startSync = useSourcesStore((s) => s.startSync)
  const remove = useSourcesStore((s) => s.remove)
  const [isConfirming, setConfirming] = useState(false)
  const run = source.lastRun
  return (
    <li className="source-row" data-testid={`source-${source.id}`}>
      <div className="source-main">
        <div className="source-title">
          <span className="badge badge-neutral">
            {source.kind === 'posthog' ? 'PostHog' : 'Folder'}
          </span>
          <span className="source-name">{source.name}</span>
          {source.isWatched ? <span className="source-flag">watched</span> : null}
          {source.kind === 'posthog' && !source.hasKey ? (
            <span className="badge badge-warning">no API key stored</span>
          ) : null}
        </div>
        <div className="source-location" title={describeLocation(source)}>
          {describeLocation(source)}
        </div>
        <div className="source-run">
          {run ? (
            <>
              <span className={run.status === 'failed' ? 'source-run-failed' : undefined}>
                {describeRun(run)}
              </span>
              <span className="source-run-time">
                {' · '}
                {formatDateTime(run.finishedAtMs ?? run.startedAtMs)}
              </span>
              {run.error ? <div className="source-run-error">{run.error}</div> : null}
            </>
          ) : (
            'Not synced yet'
          )}
        </div>
        {run && run.failures.length > 0 ? (
          <details className="source-failures">
            <summary>
              {run.itemsFailed} failed item{run.itemsFailed === 1 ? '' : 's'}
            </summary>
            <ul>
              {run.failures.map((failure, index) => (
                <li key={`${failure.item}-${index}`}>
                  <code>{failure.item}</code>: {failure.reason}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      <div className="source-actions">
        <button
          type="button"
          className="button"
          disabled={isActive}
          onClick={() => void startSync({ sourceIds: [source.id] })}
        >
          Sync
        </button>
        {source.kind === 'folder' ? (
          <button
            type="button"
            className="button button-quiet"
            disabled={isActive}
            title="Sync, and remove from the cache the recordings whose file was deleted from this folder"
            onClick={() => void startSync({ sourceIds: [source.id], prune: true })}
          >
            Sync + prune
          </button>
        ) : null}
        {isConfirming ? (
          <>
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                setConfirming(false)
                void remove(source.id)
              }}
            >
              Remove
            </button>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => setConfirming(true)}
            aria-label={`Remove ${source.name}`}
          >
            Remove…
          </button>
        )}
      </div>
    </li>
  )
}

function AddFolderForm() {
  const addFolder = useSourcesStore((s) => s.addFolder)
  const isAdding = useSourcesStore((s) => s.isAdding)
  const [path, setPath] = useState('')
  // The desktop app asks with the system folder picker; in a browser the path is typed.
  const usesPicker = shellKind === 'electron'
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (await addFolder(usesPicker ? {} : { path })) setPath('')
  }
  return (
    <form
      className="sources-form"
      onSubmit={(event) => void submit(event)}
      data-testid="add-folder-form"
    >
      <h3>Watched folder</h3>
      <p className="sources-form-help">
        New and changed export files in it (recordings, events, persons; .gz too) are imported, also
        while the app runs.
      </p>
      {usesPicker ? null : (
        <label className="sources-field">
          <span>Folder path</span>
          <input
            className="input"
            value={path}
            onChange={(event) => setPath(event.target.value)}
            placeholder="/home/me/posthog-exports"
            required
          />
        </label>
      )}
      <button type="submit" className="button button-primary" disabled={isAdding}>
        {usesPicker ? 'Choose folder…' : 'Add folder'}
      </button>
    </form>
  )
}

function AddPostHogForm() {
  const addPostHog = useSourcesStore((s) => s.addPostHog)
  const isAdding = useSourcesStore((s) => s.isAdding)
  const [host, setHost] = useState('https://us.posthog.com')
  const [projectId, setProjectId] = useState('')
  const [apiKey, setApiKey] = useState('')
  const [since, setSince] = useState('')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const sinceMs = since ? Date.parse(`${since}T00:00:00`) : null
    const ok = await addPostHog({
      host,
      projectId,
      apiKey,
      sinceMs: Number.isNaN(sinceMs) ? null : sinceMs
    })
    if (ok) {
      setProjectId('')
      setApiKey('')
      setSince('')
    }
  }
  return (
    <form
      className="sources-form"
      onSubmit={(event) => void submit(event)}
      data-testid="add-posthog-form"
    >
      <h3>PostHog project</h3>
      <p className="sources-form-help">
        Downloads recordings, their events and persons with a personal API key (scopes
        session_recording:read, query:read, person:read). The key stays on this machine (encrypted
        with the system keychain in the desktop app) and is never shown again.
      </p>
      <label className="sources-field">
        <span>Host</span>
        <input
          className="input"
          value={host}
          onChange={(event) => setHost(event.target.value)}
          required
        />
      </label>
      <label className="sources-field">
        <span>Project id</span>
        <input
          className="input"
          value={projectId}
          onChange={(event) => setProjectId(event.target.value)}
          inputMode="numeric"
          required
        />
      </label>
      <label className="sources-field">
        <span>Personal API key</span>
        <input
          className="input"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
          placeholder="phx_…"
          required
        />
      </label>
      <label className="sources-field">
        <span>Recordings since (optional; default the last 30 days)</span>
        <input
          className="input"
          type="date"
          value={since}
          onChange={(event) => setSince(event.target.value)}
        />
      </label>
      <button type="submit" className="button button-primary" disabled={isAdding}>
        {isAdding ? 'Checking the key…' : 'Add project'}
      </button>
    </form>
  )
}
