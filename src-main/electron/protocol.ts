import { protocol, type Session } from 'electron'
import { APP_SCHEME } from './app-origin'
import { handleAppRequest, type AppProtocolOptions } from './app-protocol'

/**
 * Declares the app scheme privileged: standard (a real origin, relative URLs), secure (like https), fetch allowed.
 * Must run before the app is ready.
 */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        stream: true,
        codeCache: true
      }
    }
  ])
}

/** Serves the renderer and the asset cache on the app scheme in `session` (see `handleAppRequest`). */
export function registerAppProtocol(session: Session, options: AppProtocolOptions): void {
  session.protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, options))
}
