import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  addRecentPath,
  createSecondInstanceData,
  extractOpenPaths,
  readSecondInstancePaths
} from './open-with'

describe('extractOpenPaths', () => {
  it('takes export files from a packaged app’s command line, resolved against its working folder', () => {
    expect(
      extractOpenPaths(
        [
          '/opt/Tapedeck/tapedeck',
          '--no-sandbox',
          'a.json',
          '/data/b.JSONL',
          'c.csv',
          'd.txt',
          'e.json.gz'
        ],
        {
          isPackaged: true,
          resolve,
          cwd: '/home/me'
        }
      )
    ).toEqual(['/home/me/a.json', '/data/b.JSONL', '/home/me/c.csv', '/home/me/e.json.gz'])
  })

  it('skips the app path in development', () => {
    expect(
      extractOpenPaths(['/x/electron', 'out/main/index.json', 'f.json'], {
        isPackaged: false,
        resolve,
        cwd: '/w'
      })
    ).toEqual(['/w/f.json'])
  })
})

describe('addRecentPath', () => {
  it('puts the newest first, without duplicates, up to the limit', () => {
    expect(addRecentPath(['/a', '/b', '/c'], '/b', 3)).toEqual(['/b', '/a', '/c'])
    expect(addRecentPath(['/a', '/b', '/c'], '/d', 3)).toEqual(['/d', '/a', '/b'])
  })
})

describe('second launch (single instance)', () => {
  const options = { isPackaged: true, resolve, cwd: '/home/me' }

  it('sends the files the second launch resolved, and the first instance imports exactly those', () => {
    const data = createSecondInstanceData(
      extractOpenPaths(['/opt/Tapedeck/tapedeck', 'exports/a.json', '/data/b.csv'], options)
    )
    expect(data).toEqual({ openPaths: ['/home/me/exports/a.json', '/data/b.csv'] })
    // Chromium may reorder argv and append switches; the paths from additionalData are used as sent.
    const mangledArgv = ['/opt/Tapedeck/tapedeck', '--allow-file-access-from-files', '/data/b.csv']
    expect(
      readSecondInstancePaths(JSON.parse(JSON.stringify(data)), mangledArgv, {
        ...options,
        cwd: '/elsewhere'
      })
    ).toEqual(['/home/me/exports/a.json', '/data/b.csv'])
  })

  it('a second launch without files only focuses the window', () => {
    expect(
      readSecondInstancePaths(createSecondInstanceData([]), ['/opt/Tapedeck/tapedeck'], options)
    ).toEqual([])
  })

  it('falls back to argv when the data is missing or malformed', () => {
    const argv = ['/opt/Tapedeck/tapedeck', 'c.jsonl']
    for (const data of [
      undefined,
      null,
      {},
      { openPaths: 'a.json' },
      { openPaths: ['relative.json'] },
      { openPaths: [42] }
    ]) {
      expect(readSecondInstancePaths(data, argv, options), JSON.stringify(data)).toEqual([
        '/home/me/c.jsonl'
      ])
    }
  })

  it('ignores sent paths that are not exports', () => {
    expect(readSecondInstancePaths({ openPaths: ['/a.json', '/b.exe'] }, ['/x'], options)).toEqual([
      '/a.json'
    ])
  })
})
