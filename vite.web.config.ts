import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { defineConfig, type UserConfig } from 'vite'

/** Where the built renderer goes; the web host serves it and the Electron shell loads it. */
export const RENDERER_OUT_DIR = fileURLToPath(new URL('./out/renderer', import.meta.url))

/**
 * The renderer build, shared by `npm run build:web` (this file), `tapedeck serve` (builds on demand) and the
 * renderer section of electron.vite.config.ts.
 *
 * Built files go under `static/` (not Vite's default `assets/`) so they never collide with the asset cache route.
 * `base: './'` keeps every URL relative, which works over http://127.0.0.1 and from the Electron shell alike.
 */
export const rendererConfig: UserConfig = {
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('./src-main/shared', import.meta.url)) }
  },
  build: {
    outDir: RENDERER_OUT_DIR,
    emptyOutDir: true,
    assetsDir: 'static',
    target: 'chrome120',
    sourcemap: true,
    chunkSizeWarningLimit: 2000
  }
}

export default defineConfig(rendererConfig)
