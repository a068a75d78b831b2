/** A contract client for store tests: each channel answers from a handler the test supplies; calls are recorded. */
import type { DesktopApi, EventChannel, EventChannels, InvokeArgs, InvokeChannel, InvokeResult } from '@shared/ipc-contract'

type FakeHandlers = { [C in InvokeChannel]?: (...args: InvokeArgs<C>) => InvokeResult<C> | Promise<InvokeResult<C>> }

export type FakeApi = DesktopApi & {
  calls: Array<{ channel: InvokeChannel; args: unknown[] }>
  emit: <E extends EventChannel>(channel: E, payload: EventChannels[E]) => void
}

export function createFakeApi(handlers: FakeHandlers): FakeApi {
  const calls: FakeApi['calls'] = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  return {
    calls,
    async invoke(channel, ...args) {
      calls.push({ channel, args })
      const handler = handlers[channel] as ((...a: unknown[]) => unknown) | undefined
      if (!handler) throw new Error(`fake api: no handler for ${channel}`)
      return (await handler(...args)) as never
    },
    on(channel, listener) {
      let set = listeners.get(channel)
      if (!set) listeners.set(channel, (set = new Set()))
      set.add(listener as (payload: unknown) => void)
      return () => set.delete(listener as (payload: unknown) => void)
    },
    emit(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) listener(payload)
    }
  }
}
