import { describe, expect, it } from 'vitest'
import { findReplayStyles } from './replay-styles'

const snapshot = (node: unknown) => ({ type: 2, timestamp: 1, data: { node, initialOffset: { top: 0, left: 0 } } })

describe('findReplayStyles', () => {
  it('names each stylesheet as rrweb keys its replay cache: _cssText (split markers dropped when it has children) and style texts', () => {
    const node = {
      type: 0,
      id: 1,
      childNodes: [
        {
          type: 2,
          id: 2,
          tagName: 'head',
          attributes: {},
          childNodes: [
            { type: 2, id: 3, tagName: 'style', attributes: { _cssText: 'a:hover{color:red}' }, childNodes: [] },
            {
              type: 2,
              id: 4,
              tagName: 'style',
              attributes: { _cssText: 'p{margin:0}/* rr_split */b:hover{x:y}' },
              childNodes: [
                { type: 3, id: 5, textContent: 'p{margin:0}' },
                { type: 3, id: 6, textContent: 'b:hover{x:y}' }
              ]
            },
            { type: 2, id: 7, tagName: 'link', attributes: { rel: 'stylesheet', _cssText: 'i:hover{a:b}' }, childNodes: [] },
            { type: 2, id: 8, tagName: 'style', attributes: {}, childNodes: [{ type: 3, id: 9, textContent: 'u:hover{c:d}', isStyle: true }] },
            { type: 2, id: 10, tagName: 'div', attributes: { _cssText: 'not a stylesheet' }, childNodes: [] },
            { type: 2, id: 11, tagName: 'style', attributes: { _cssText: '  ' }, childNodes: [] }
          ]
        }
      ]
    }
    expect(findReplayStyles([{ type: 4, timestamp: 0, data: {} }, snapshot(node), snapshot(node)]).sort()).toEqual(
      ['a:hover{color:red}', 'i:hover{a:b}', 'p{margin:0}b:hover{x:y}', 'u:hover{c:d}'].sort()
    )
  })

  it('finds nothing outside full snapshots', () => {
    expect(findReplayStyles([{ type: 3, timestamp: 1, data: { source: 0, adds: [{ node: { type: 2, tagName: 'style', attributes: { _cssText: 'x{}' } } }] } }])).toEqual([])
  })
})
