import type { Migration } from '../migrate'
import { migration0001 } from './0001-initial'
import { migration0002 } from './0002-sources'

/** Every migration, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002]
