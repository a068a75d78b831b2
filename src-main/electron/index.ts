/**
 * The Electron main process: lifecycle and wiring. Every decision it makes (who may call, where a window may go,
 * which requests may leave, which files to open) is a tested function elsewhere in this folder.
 */
import { app, clipboard, dialog, safeStorage, session, shell, type BrowserWindow } from 'electron'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createApi } from '../api/create-api'
import { runAssetFetch } from '../assets/asset-service'
import { closeAppContext, openAppContext, type AppContext } from '../core/app-context'
import { APP_NAME } from '../core/data-dir'
import { getSchemaVersion } from '../db/migrate'
import { disposeSyncService, getSyncService } from '../sync/sync-service'
import type { AddSourceResult } from '../shared/contract/sync-channels'
import {
  createAboutPanelOptions,
  describeAddFolderResult,
  formatProblemReport,
  type AppFacts,
  type Notice
} from './app-info'
import { APP_INDEX_URL, APP_ORIGIN, getOrigin } from './app-origin'
import { describeSkipped, type DropSelection } from './dropped-paths'
import { createEncryptedKeyStore } from './encrypted-key-store'
import { hardenSession, hardenWebContents } from './harden'
import { createImportRunner, importDemoIfEmpty, type ImportRunner } from './import-runner'
import { createWindowEmitter, registerContractHandlers, registerDropImport } from './ipc'
import { createMainWindow } from './main-window'
import { installMenu } from './menu'
import { isNativeAbiMismatch, resolveNativeBinding } from './native-binding'
import {
  createSecondInstanceData,
  extractOpenPaths,
  type CommandLineContext,
  OPENABLE_EXTENSIONS,
  readSecondInstancePaths
} from './open-with'
import {
  readRecentFiles,
  RECENT_FILES_NAME,
  rememberRecentFile,
  writeRecentFiles
} from './recent-files'
import { registerAppProtocol, registerAppSchemePrivileges } from './protocol'

const isDevelopment = !app.isPackaged
// electron-vite dev serves the renderer over http with hot reload; only ever honoured in development.
const devServerUrl = isDevelopment ? process.env.ELECTRON_RENDERER_URL : undefined
const appOrigin = (devServerUrl && getOrigin(devServerUrl)) || APP_ORIGIN
// The installed app loads only its own native build: the variable is a development aid (see resolveNativeBinding),
// and removing it here keeps the worker threads, which read it, from taking it either.
if (app.isPackaged) delete process.env.TAPEDECK_NATIVE_BINDING

app.setName(APP_NAME)
app.enableSandbox()
registerAppSchemePrivileges()

let mainWindow: BrowserWindow | null = null
let context: AppContext | null = null
let runner: ImportRunner | null = null
let addSyncFolder: (() => Promise<AddSourceResult>) | null = null
const pendingPaths: string[] = []

const launchPaths = openPathsFrom(process.argv, process.cwd())
if (!app.requestSingleInstanceLock(createSecondInstanceData(launchPaths))) {
  // Another Tapedeck is running: it receives our files through 'second-instance' and imports them.
  app.quit()
} else {
  pendingPaths.push(...launchPaths)
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    focusMainWindow()
    importFiles(readSecondInstancePaths(additionalData, argv, commandLineContext(workingDirectory)))
  })
  // macOS delivers "Open with" and dock drops as events, also before the app is ready.
  app.on('open-file', (event, path) => {
    event.preventDefault()
    importFiles([path])
  })
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appOrigin))
  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', shutDown)
  app.whenReady().then(start, (error: unknown) => fail('Tapedeck could not start', error))
}

function commandLineContext(cwd: string): CommandLineContext {
  return { isPackaged: app.isPackaged, resolve, cwd }
}

function openPathsFrom(argv: readonly string[], cwd: string): string[] {
  return extractOpenPaths(argv, commandLineContext(cwd))
}

async function start(): Promise<void> {
  const dataDir = process.env.TAPEDECK_DATA || app.getPath('userData')
  const appRoot = app.getAppPath()
  const nativeBinding = resolveNativeBinding({
    isPackaged: app.isPackaged,
    appRoot,
    electronVersion: process.versions.electron,
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    exists: existsSync
  })
  // Worker threads (import, sync) open their own connections; they find the same build through this variable.
  if (nativeBinding !== undefined) process.env.TAPEDECK_NATIVE_BINDING = nativeBinding
  try {
    context = openAppContext({
      dataDir,
      shell: 'electron',
      nativeBinding,
      emit: createWindowEmitter(() => mainWindow)
    })
  } catch (error) {
    const hint = isNativeAbiMismatch(error)
      ? '\n\nThe database module is not built for Electron. Start the app with "npm start", which prepares it.'
      : ''
    fail(`Tapedeck could not open its cache in ${dataDir}`, error, hint)
    return
  }
  const ctx = context

  hardenSession(session.defaultSession, appOrigin, devServerUrl ? appOrigin : undefined)
  registerAppProtocol(session.defaultSession, {
    rendererDir: fileURLToPath(new URL('../renderer', import.meta.url)),
    db: ctx.db,
    dataDir
  })

  const syncService = getSyncService(ctx, {
    keyStore: createEncryptedKeyStore(dataDir, {
      isAvailable: () => safeStorage.isEncryptionAvailable(),
      encrypt: (plain) => safeStorage.encryptString(plain),
      decrypt: (encrypted) => safeStorage.decryptString(encrypted)
    }),
    pickFolder: async () => {
      const result = await showOpenDialog({
        title: 'Add Sync Folder',
        properties: ['openDirectory']
      })
      return result[0] ?? null
    }
  })
  const getTrustedId = () =>
    mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null
  registerContractHandlers(createApi(ctx), getTrustedId, appOrigin)
  registerDropImport(getTrustedId, appOrigin, importDropped)
  app.setAboutPanelOptions(createAboutPanelOptions(getAppFacts()))

  runner = createImportRunner(ctx, {
    onProgress: (p) =>
      setProgress(
        p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesDone / Math.max(1, p.filesTotal)
      ),
    onFinished: (summary, paths) => {
      setProgress(-1)
      for (const path of paths) if (path !== demoDir()) rememberRecent(path)
      if (summary.files.failed > 0 && mainWindow) {
        const failed = summary.outcomes.filter((o) => o.status === 'failed')
        void dialog.showMessageBox(mainWindow, {
          type: 'warning',
          message: `${failed.length} file${failed.length === 1 ? '' : 's'} could not be imported`,
          detail: failed
            .slice(0, 10)
            .map((o) => `${o.file}: ${o.reason ?? 'unknown reason'}`)
            .join('\n')
        })
      }
    }
  })

  mainWindow = createMainWindow({
    preloadPath: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
    url: devServerUrl ?? APP_INDEX_URL,
    stateFile: join(dataDir, 'window-state.json'),
    isDevelopment
  })
  mainWindow.on('closed', () => {
    mainWindow = null
  })
  addSyncFolder = () => syncService.addFolderSource({})
  refreshMenu()

  try {
    await importDemoIfEmpty(ctx, runner, demoDir())
  } catch (error) {
    console.error(`the demo data could not be imported: ${String(error)}`)
  }
  importFiles(pendingPaths.splice(0))
}

function importFiles(paths: string[]): void {
  if (paths.length === 0) return
  if (runner === null) {
    pendingPaths.push(...paths) // before the app is ready: imported once it is
    return
  }
  setProgress(2) // indeterminate until the importer's first report (the window shows its own banner)
  runner.run(paths).catch((error: unknown) => {
    setProgress(-1)
    if (mainWindow)
      dialog.showErrorBox('Import failed', error instanceof Error ? error.message : String(error))
  })
}

function importDropped(selection: DropSelection): void {
  importFiles(selection.importable)
  if (selection.skipped.length > 0) {
    showNotice({
      type: 'info',
      message: describeSkipped(selection.skipped),
      detail: `Tapedeck imports PostHog exports (${OPENABLE_EXTENSIONS.join(', ')}) and folders of them.`
    })
  }
}

function showNotice(notice: Notice | null): void {
  if (notice === null) return
  void (mainWindow ? dialog.showMessageBox(mainWindow, notice) : dialog.showMessageBox(notice))
}

/** The bundled demo data: next to the app in a package, in the checkout in development. */
function demoDir(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'demo', 'acme-small')
    : join(app.getAppPath(), 'resources', 'demo', 'acme-small')
}

function recentFile(): string {
  return join(context?.dataDir ?? app.getPath('userData'), RECENT_FILES_NAME)
}

function rememberRecent(path: string): void {
  app.addRecentDocument(path)
  try {
    rememberRecentFile(recentFile(), path)
  } catch (error) {
    console.error(`could not save the recent files: ${String(error)}`)
  }
  refreshMenu()
}

function clearRecent(): void {
  app.clearRecentDocuments()
  try {
    writeRecentFiles(recentFile(), [])
  } catch (error) {
    console.error(`could not clear the recent files: ${String(error)}`)
  }
  refreshMenu()
}

function refreshMenu(): void {
  installMenu({
    isDevelopment,
    isMac: process.platform === 'darwin',
    recent: readRecentFiles(recentFile()),
    actions: {
      openExports: () => {
        void showOpenDialog({
          title: 'Open Export',
          properties: ['openFile', 'multiSelections'],
          filters: [
            { name: 'PostHog exports', extensions: OPENABLE_EXTENSIONS.map((e) => e.slice(1)) },
            { name: 'All files', extensions: ['*'] }
          ]
        }).then(importFiles)
      },
      addSyncFolder: () => {
        addSyncFolder?.()
          .then((result) => showNotice(describeAddFolderResult(result)))
          .catch((error: unknown) => dialog.showErrorBox('Could not add the folder', String(error)))
      },
      openRecent: (path) => importFiles([path]),
      clearRecent,
      fetchAssets,
      showAbout: () => app.showAboutPanel(),
      openDataFolder: () => {
        if (context) void shell.openPath(context.dataDir)
      },
      reportProblem
    }
  })
}

async function showOpenDialog(options: Electron.OpenDialogOptions): Promise<string[]> {
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options)
  return result.canceled ? [] : result.filePaths
}

function fetchAssets(): void {
  if (!context) return
  setProgress(2) // indeterminate until the first report
  const ctx = context
  runAssetFetch(ctx)
    .then((summary) => {
      setProgress(-1)
      if (!mainWindow) return
      void dialog.showMessageBox(mainWindow, {
        type: summary.failed > 0 ? 'warning' : 'info',
        message: `Fetched ${summary.fetched} of ${summary.attempted} assets for offline playback`,
        detail:
          summary.failed > 0
            ? `${summary.failed} could not be downloaded (the site may be gone or offline). Fetching again retries only what is missing.`
            : 'Replays now show these images, stylesheets and fonts without a network.'
      })
    })
    .catch((error: unknown) => {
      setProgress(-1)
      dialog.showErrorBox('Fetching assets failed', String(error))
    })
}

function getAppFacts(): AppFacts {
  return {
    appName: app.getName(),
    appVersion: app.getVersion(),
    electronVersion: process.versions.electron,
    chromeVersion: process.versions.chrome,
    nodeVersion: process.versions.node,
    platform: process.platform,
    osVersion: process.getSystemVersion(),
    arch: process.arch,
    schemaVersion: context ? getSchemaVersion(context.db) : null,
    dataDir: context?.dataDir ?? null
  }
}

function reportProblem(): void {
  const report = formatProblemReport(getAppFacts())
  clipboard.writeText(report)
  void dialog.showMessageBox({
    type: 'info',
    message: 'Details copied to the clipboard',
    detail:
      'Paste them into your report together with what you did and what you expected. ' +
      'Recordings hold personal data: attach files only if you may share them.\n\n' +
      report
  })
}

function setProgress(fraction: number): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.setProgressBar(fraction)
}

function focusMainWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.focus()
}

function shutDown(): void {
  if (!context) return
  disposeSyncService(context)
  closeAppContext(context)
  context = null
}

function fail(message: string, error: unknown, hint = ''): void {
  console.error(message, error)
  dialog.showErrorBox(message, `${error instanceof Error ? error.message : String(error)}${hint}`)
  app.exit(1)
}
