import type { Migration } from '../migrate'
import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-sources'
import { migration0003 } from './0003-assets'
import { migration0004 } from './0004-relink-queue'
import { migration0005 } from './0005-analytics-snapshots'
import { migration0006 } from './0006-recording-list-index'
import { migration0007 } from './0007-event-columns'
import { migration0008 } from './0008-event-columns-no-insert-trigger'
import { migration0009 } from './0009-snapshot-keyframes'
import { migration0010 } from './0010-import-remapped-distinct-ids'

/** Every migration, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010]
