import { describe, expect, it } from 'vitest'
import { UsageError } from './command'
import { parseStepSpec } from './funnel-spec'

describe('--step SPEC', () => {
  it('parses an event alone and each kind of condition', () => {
    expect(parseStepSpec('added_to_cart')).toEqual({ event: 'added_to_cart' })
    expect(parseStepSpec('$pageview:$pathname=/')).toEqual({
      event: '$pageview',
      filters: [{ property: '$pathname', operator: 'equals', value: '/' }]
    })
    expect(parseStepSpec('$pageview:$pathname^=/product/')).toMatchObject({
      filters: [{ property: '$pathname', operator: 'starts-with', value: '/product/' }]
    })
    expect(parseStepSpec('$pageview:$current_url~=https://shop.acme.test/cart?a=b')).toMatchObject({
      filters: [
        { property: '$current_url', operator: 'contains', value: 'https://shop.acme.test/cart?a=b' }
      ]
    })
    expect(parseStepSpec('signed_up:plan!=free')).toMatchObject({
      filters: [{ property: 'plan', operator: 'not-equals', value: 'free' }]
    })
    expect(parseStepSpec('$pageview:$pathname=')).toMatchObject({
      filters: [{ operator: 'equals', value: '' }]
    })
  })

  it('rejects a spec without an event, property or operator', () => {
    expect(() => parseStepSpec(':a=b')).toThrow(UsageError)
    expect(() => parseStepSpec('e:=b')).toThrow(UsageError)
    expect(() => parseStepSpec('e:prop')).toThrow(UsageError)
  })
})
