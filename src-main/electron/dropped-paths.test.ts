import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTempDir } from '../test/test-db'
import {
  describeSkipped,
  parseDroppedPaths,
  selectDroppedPaths,
  statPathKind
} from './dropped-paths'
import { MAX_OPEN_PATHS } from './open-with'

describe('parseDroppedPaths', () => {
  it('accepts absolute POSIX, Windows drive and UNC paths, without duplicates', () => {
    expect(
      parseDroppedPaths([
        '/home/me/a.json',
        'C:\\Users\\me\\b.csv',
        '\\\\nas\\x.jsonl',
        '/home/me/a.json'
      ])
    ).toEqual(['/home/me/a.json', 'C:\\Users\\me\\b.csv', '\\\\nas\\x.jsonl'])
  })

  it('refuses anything that is not a bounded list of absolute paths', () => {
    for (const raw of [
      undefined,
      null,
      '/home/me/a.json',
      [],
      ['relative/a.json'],
      ['../../etc/passwd'],
      ['file:///etc/passwd'],
      ['/ok.json', 42],
      ['/a\0.json'],
      ['/' + 'a'.repeat(5000)],
      Array.from({ length: MAX_OPEN_PATHS + 1 }, (_, i) => `/f${i}.json`)
    ]) {
      expect(parseDroppedPaths(raw), JSON.stringify(raw)?.slice(0, 60)).toBeNull()
    }
  })
})

describe('selectDroppedPaths', () => {
  it('imports folders and export files, and names everything else', () => {
    const { dir, cleanup } = createTempDir()
    try {
      const files = ['a.json', 'b.JSONL', 'c.csv', 'd.json.gz', 'e.ndjson', 'shot.png', 'notes.txt']
      for (const name of files) writeFileSync(join(dir, name), '')
      mkdirSync(join(dir, 'exports'))
      const paths = [...files, 'exports', 'gone.json'].map((name) => join(dir, name))
      const selection = selectDroppedPaths(paths, statPathKind)
      expect(selection.importable.map((p) => p.slice(dir.length + 1))).toEqual([
        'a.json',
        'b.JSONL',
        'c.csv',
        'd.json.gz',
        'e.ndjson',
        'exports'
      ])
      expect(selection.skipped.map((p) => p.slice(dir.length + 1))).toEqual([
        'shot.png',
        'notes.txt',
        'gone.json'
      ])
    } finally {
      cleanup()
    }
  })
})

describe('describeSkipped', () => {
  it('names a few files by name and counts the rest', () => {
    expect(describeSkipped(['/a/shot.png'])).toBe('Not imported (not an export): shot.png')
    expect(describeSkipped(['/1.png', '/2.png', '/3.png'], 2)).toBe(
      'Not imported (not an export): 1.png, 2.png and 1 more'
    )
  })
})
