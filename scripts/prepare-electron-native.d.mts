// Types for scripts/prepare-electron-native.mjs (imported by the Electron e2e spec).
export type PrepareResult = { ok: true; path: string } | { ok: false; reason: string }

export function getElectronVersion(root?: string): string
export function getNativeDir(
  root: string,
  electronVersion: string,
  platform: string,
  arch: string
): string
export function prepareElectronNative(options?: {
  root?: string
  electronVersion?: string
  platform?: string
  arch?: string
  log?: (line: string) => void
}): PrepareResult
