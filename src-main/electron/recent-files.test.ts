import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTempDir } from '../test/test-db'
import {
  MAX_RECENT_FILES,
  readRecentFiles,
  rememberRecentFile,
  RECENT_FILES_NAME,
  writeRecentFiles
} from './recent-files'

let dir: string
let cleanup: () => void
let file: string

beforeEach(() => {
  ;({ dir, cleanup } = createTempDir())
  file = join(dir, RECENT_FILES_NAME)
})
afterEach(() => cleanup())

describe('recent files', () => {
  it('remembers the newest first, once each, up to the limit, across reads', () => {
    expect(readRecentFiles(file)).toEqual([])
    rememberRecentFile(file, '/a.json')
    rememberRecentFile(file, '/b.csv')
    expect(rememberRecentFile(file, '/a.json')).toEqual(['/a.json', '/b.csv'])
    expect(readRecentFiles(file)).toEqual(['/a.json', '/b.csv'])
    for (let i = 0; i < 20; i++) rememberRecentFile(file, `/f${i}.json`)
    const recent = readRecentFiles(file)
    expect(recent).toHaveLength(MAX_RECENT_FILES)
    expect(recent[0]).toBe('/f19.json')
  })

  it('reads a damaged list as empty or keeps only its paths', () => {
    writeFileSync(file, '{not json')
    expect(readRecentFiles(file)).toEqual([])
    writeFileSync(file, '{"a":1}')
    expect(readRecentFiles(file)).toEqual([])
    writeFileSync(file, JSON.stringify(['/x.json', 3, null, '', '/x.json', '/y.csv']))
    expect(readRecentFiles(file)).toEqual(['/x.json', '/y.csv'])
  })

  it('clears the list', () => {
    rememberRecentFile(file, '/a.json')
    writeRecentFiles(file, [])
    expect(readRecentFiles(file)).toEqual([])
  })
})
