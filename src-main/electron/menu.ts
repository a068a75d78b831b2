import { Menu } from 'electron'
import { buildMenuTemplate } from './menu-template'

/** Builds and installs the application menu. Call again when the recent list changes. */
export function installMenu(options: Parameters<typeof buildMenuTemplate>[0]): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(options)))
}
