/**
 * IPC channels between the preload and main that are not part of the contract (the page cannot reach them: only
 * the preload holds `ipcRenderer`). Both are sender-checked and validated like contract channels.
 */

/** Main → preload: one event of the contract, as `{ channel, payload }`. */
export const EVENT_IPC_CHANNEL = 'tapedeck:event'

/** Preload → main: the absolute paths of files dropped on the window, to import. */
export const DROP_IMPORT_IPC_CHANNEL = 'tapedeck:import-dropped'

/** At most this many dropped files per drop. */
export const MAX_DROPPED_PATHS = 1000
