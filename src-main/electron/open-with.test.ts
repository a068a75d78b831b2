import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addRecentPath, extractOpenPaths } from './open-with'

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
