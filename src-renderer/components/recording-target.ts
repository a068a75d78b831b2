/** The player's hash target for a recording, opening `atSeconds` from its start (`#/recordings/<id>?t=12.5`). */
export function recordingTarget(id: string, atSeconds?: number | null): string {
  const path = `/recordings/${encodeURIComponent(id)}`
  return atSeconds === undefined || atSeconds === null
    ? path
    : `${path}?t=${Math.max(0, Math.round(atSeconds * 10) / 10)}`
}
