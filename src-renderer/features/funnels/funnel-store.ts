/**
 * The funnel screen: the funnel computed for the URL's definition, the drill-down shown (persons who dropped off or
 * converted at a step, a page at a time), the funnel issues of that step, the event names for the step pickers, and
 * the saved funnels. Answers to an older request are ignored.
 */
import { create } from 'zustand'
import type {
  EventNameCount,
  FunnelDefinition,
  FunnelIssuesResult,
  FunnelPersonsPage,
  FunnelResult,
  SavedFunnel
} from '@shared/analytics'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'

export const FUNNEL_PERSONS_PAGE = 25

type Status = 'idle' | 'loading' | 'ready' | 'error'

export type DrilldownQuery = {
  step: number
  outcome: 'dropped' | 'converted'
  breakdownValue?: string | null
  offset: number
}

export type FunnelState = {
  definitionKey: string
  result: FunnelResult | null
  status: Status
  errorMessage: string | null
  drilldown: DrilldownQuery | null
  persons: FunnelPersonsPage | null
  personsStatus: Status
  personsError: string | null
  issues: FunnelIssuesResult | null
  issuesStatus: Status
  issuesError: string | null
  eventNames: EventNameCount[]
  propertyNames: Record<string, string[]>
  saved: SavedFunnel[]
  compute: (definition: FunnelDefinition, options?: { force?: boolean }) => Promise<void>
  /** Computes the shown funnel again (after an import). */
  reload: () => Promise<void>
  showDrilldown: (definition: FunnelDefinition, query: DrilldownQuery | null) => Promise<void>
  loadEventNames: () => Promise<void>
  loadPropertyNames: (event: string) => Promise<void>
  loadSaved: () => Promise<void>
  save: (name: string, definition: FunnelDefinition) => Promise<SavedFunnel>
  remove: (id: number) => Promise<void>
}

/** Stable identity of a definition. */
export function definitionKey(definition: FunnelDefinition | null): string {
  return definition ? JSON.stringify(definition) : ''
}

/** Creates the funnel store over a contract client (tests pass a fake). */
export function createFunnelStore(api: DesktopApi) {
  let generation = 0
  let drilldownGeneration = 0
  let current: FunnelDefinition | null = null
  return create<FunnelState>()((set, get) => ({
    definitionKey: '',
    result: null,
    status: 'idle',
    errorMessage: null,
    drilldown: null,
    persons: null,
    personsStatus: 'idle',
    personsError: null,
    issues: null,
    issuesStatus: 'idle',
    issuesError: null,
    eventNames: [],
    propertyNames: {},
    saved: [],
    compute: async (definition, options) => {
      const key = definitionKey(definition)
      if (!options?.force && key === get().definitionKey && get().status !== 'error') return
      const gen = ++generation
      drilldownGeneration++
      current = definition
      set({
        definitionKey: key,
        status: 'loading',
        errorMessage: null,
        drilldown: null,
        persons: null,
        personsStatus: 'idle',
        issues: null,
        issuesStatus: 'idle'
      })
      try {
        const result = await api.invoke('funnels:compute', definition)
        if (gen === generation) set({ result, status: 'ready' })
      } catch (error) {
        if (gen === generation)
          set({ status: 'error', errorMessage: describeError(error), result: null })
      }
    },
    reload: async () => {
      if (current) await get().compute(current, { force: true })
    },
    showDrilldown: async (definition, query) => {
      const gen = ++drilldownGeneration
      const previous = get().drilldown
      const stepChanged = !previous || !query || previous.step !== query.step
      set({
        drilldown: query,
        personsStatus: query ? 'loading' : 'idle',
        personsError: null,
        ...(stepChanged
          ? { issues: null, issuesStatus: query ? 'loading' : 'idle', issuesError: null }
          : {})
      })
      if (!query) return
      const personsRequest = api
        .invoke('funnels:list-persons', {
          definition,
          stepIndex: query.step,
          outcome: query.outcome,
          breakdownValue: query.breakdownValue,
          offset: query.offset,
          limit: FUNNEL_PERSONS_PAGE
        })
        .then((persons) => {
          if (gen === drilldownGeneration) set({ persons, personsStatus: 'ready' })
        })
        .catch((error: unknown) => {
          if (gen === drilldownGeneration)
            set({ personsStatus: 'error', personsError: describeError(error) })
        })
      const issuesRequest = stepChanged
        ? api
            .invoke('funnels:find-issues', definition, query.step)
            .then((issues) => {
              if (gen === drilldownGeneration || get().drilldown?.step === query.step) {
                set({ issues, issuesStatus: 'ready' })
              }
            })
            .catch((error: unknown) => {
              if (gen === drilldownGeneration)
                set({ issuesStatus: 'error', issuesError: describeError(error) })
            })
        : Promise.resolve()
      await Promise.all([personsRequest, issuesRequest])
    },
    loadEventNames: async () => {
      try {
        set({ eventNames: await api.invoke('analytics:list-event-names') })
      } catch {
        // The pickers still accept typed names.
      }
    },
    loadPropertyNames: async (event) => {
      if (!event || get().propertyNames[event]) return
      try {
        const names = await api.invoke('analytics:list-event-properties', event)
        set((state) => ({ propertyNames: { ...state.propertyNames, [event]: names } }))
      } catch {
        // The filter field still accepts a typed property.
      }
    },
    loadSaved: async () => {
      try {
        set({ saved: await api.invoke('funnels:list-saved') })
      } catch {
        set({ saved: [] })
      }
    },
    save: async (name, definition) => {
      const saved = await api.invoke('funnels:save', name, definition)
      await get().loadSaved()
      return saved
    },
    remove: async (id) => {
      await api.invoke('funnels:delete', id)
      await get().loadSaved()
    }
  }))
}

export const useFunnelStore = createFunnelStore(desktop)
