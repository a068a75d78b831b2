import { defineConfig } from 'electron-vite'
import { fileURLToPath } from 'node:url'
import { rendererConfig } from './vite.web.config'

const sharedAlias = { '@shared': fileURLToPath(new URL('./src-main/shared', import.meta.url)) }

/**
 * The desktop build: the Electron main process and preload (src-main/electron/), and the same renderer build the web
 * host serves (vite.web.config.ts). Dependencies of main stay external (better-sqlite3 is a native module).
 */
export default defineConfig({
  main: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: fileURLToPath(new URL('./src-main/electron/index.ts', import.meta.url)),
          // Worker entries sit next to index.js, where resolveWorkerUrl / resolveSyncWorkerUrl look for them; shared
          // chunks stay in the same folder so `import.meta.url` of bundled code is out/main/ either way.
          'import-worker': fileURLToPath(new URL('./src-main/ingest/import-worker.ts', import.meta.url)),
          'sync-worker': fileURLToPath(new URL('./src-main/sync/sync-worker.ts', import.meta.url)),
          'analytics-worker': fileURLToPath(new URL('./src-main/analytics/analytics-worker.ts', import.meta.url))
        },
        output: { chunkFileNames: '[name]-[hash].js' }
      }
    }
  },
  preload: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: fileURLToPath(new URL('./src-main/electron/preload.ts', import.meta.url)) },
        // Sandboxed preloads cannot be ES modules: CommonJS, as out/preload/index.cjs.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rollupOptions: { input: { index: fileURLToPath(new URL('./src-renderer/index.html', import.meta.url)) } }
    }
  }
})
