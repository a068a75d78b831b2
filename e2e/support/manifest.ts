/** Ground truth of the acme-small fixture (MANIFEST.json), read at test time. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ACME_SMALL } from './tapedeck-server'

export type ManifestRecording = {
  session_id: string
  start_time: string
  end_time: string
  duration_ms: number
  window_ids: string[]
  distinct_ids: string[]
  person_id: string
  email: string | null
  urls: string[]
  exceptions: number
  exception_types: string[]
  console_errors: number
}

export type ManifestSessionWithExceptions = {
  session_id: string
  has_recording: boolean
  exceptions: number
  types: string[]
  values: string[]
  first_at: string
}

export type Manifest = {
  recordings: ManifestRecording[]
  ground_truth: { sessions_with_exceptions: ManifestSessionWithExceptions[] }
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(ACME_SMALL, 'MANIFEST.json'), 'utf8')) as Manifest
}

/** Every recording of the person who has `email` (including those recorded before they identified). */
export function recordingsOfEmail(manifest: Manifest, email: string): ManifestRecording[] {
  const personIds = new Set(manifest.recordings.filter((r) => r.email === email).map((r) => r.person_id))
  return manifest.recordings.filter((r) => personIds.has(r.person_id))
}
