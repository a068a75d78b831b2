import type { RecordingChannels, SavedView } from '@shared/contract/recording-channels'
import type { RecordingQuery } from '@shared/domain'
import {
  countRecordings,
  getRecordingDetail,
  getRecordingPlayback,
  getRecordingTimeline,
  getSnapshotChunk,
  markRecordingViewed,
  searchRecordings
} from '../db/recording-queries'
import { getKeyframe, listKeyframes } from '../ingest/keyframe-store'
import { deleteSavedView, listSavedViews, saveView } from '../db/saved-view-queries'
import type { AppContext } from '../core/app-context'

type Handlers<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => R | Promise<R> : never }

/**
 * How far `recordings:search` counts the matches: a larger total is shown as "1,000+" until the list's
 * `recordings:count` call answers (counting every match of a common search with a filter takes tens of ms).
 */
export const LIST_COUNT_AT_MOST = 1000

/** Handlers of the recording list and player channels, over the cache of `context`. */
export function createRecordingHandlers(context: AppContext): Handlers<RecordingChannels> {
  const { db } = context
  return {
    'recordings:search': (query: RecordingQuery) =>
      searchRecordings(db, query, { countAtMost: LIST_COUNT_AT_MOST }),
    'recordings:count': (query: RecordingQuery) => countRecordings(db, query),
    'recordings:get': (id) => getRecordingDetail(db, id),
    'recordings:get-playback': (id) => getRecordingPlayback(db, id),
    'recordings:get-timeline': (id) => getRecordingTimeline(db, id),
    'recordings:get-chunk': (id, seq) => getSnapshotChunk(db, id, seq),
    'recordings:mark-viewed': (id, viewed) => markRecordingViewed(db, id, viewed),
    'recordings:get-keyframes': (id) => listKeyframes(db, id),
    'recordings:get-keyframe': (id, seq) => getKeyframe(db, id, seq),
    'views:list': (): SavedView[] => listSavedViews(db),
    'views:save': (name, query) => saveView(db, name, query),
    'views:delete': (id) => deleteSavedView(db, id)
  }
}
