import { Replayer } from '@rrweb/replay'
import type { ReplayEvent } from './chunk-loader'

/** The event list rrweb's Replayer takes (our `ReplayEvent` is the same JSON, typed loosely). */
export type RrwebEvents = ConstructorParameters<typeof Replayer>[0]

/**
 * A Replayer the way the player uses one (the visible replay and the hidden keyframe walk alike): virtual DOM on,
 * animations paused, no warnings, no mouse tail or focus stealing, canvas replay off.
 */
export function createReplayer(events: ReplayEvent[], root: HTMLElement, speed: number): Replayer {
  return new Replayer(events as unknown as RrwebEvents, {
    root,
    speed,
    skipInactive: false,
    showWarning: false,
    showDebug: false,
    triggerFocus: false,
    mouseTail: false,
    useVirtualDom: true,
    pauseAnimation: true,
    UNSAFE_replayCanvas: false,
    logger: { log: () => undefined, warn: () => undefined }
  })
}
