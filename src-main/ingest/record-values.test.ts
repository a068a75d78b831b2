import { describe, expect, it } from 'vitest'
import { parseTimestampMs, readBoolean, readId, readPropertiesObject } from './record-values'

describe('parseTimestampMs', () => {
  it('reads the ISO spellings PostHog exports use', () => {
    // Batch export JSONL, API (microseconds, +00:00), ClickHouse rows (local offset), CSV (space separator).
    expect(parseTimestampMs('2026-10-12T08:04:06.891Z')).toBe(Date.UTC(2026, 9, 12, 8, 4, 6, 891))
    expect(parseTimestampMs('2021-02-11T09:21:30.202993+00:00')).toBe(
      Date.UTC(2021, 1, 11, 9, 21, 30, 202)
    )
    expect(parseTimestampMs('2024-10-16T07:17:59.088000-07:00')).toBe(
      Date.UTC(2024, 9, 16, 14, 17, 59, 88)
    )
    expect(parseTimestampMs('2026-10-12 17:24:59.706000+00:00')).toBe(
      Date.UTC(2026, 9, 12, 17, 24, 59, 706)
    )
    expect(parseTimestampMs('2024-03-01T05:30:00+0530')).toBe(Date.UTC(2024, 2, 1, 0, 0, 0))
    expect(parseTimestampMs('2024-03-01T05:30:00+05')).toBe(Date.UTC(2024, 2, 1, 0, 30, 0))
    expect(parseTimestampMs('2021-02-04T21:52:56.367093Z')).toBe(
      Date.parse('2021-02-04T21:52:56.367Z')
    )
  })

  it('reads a time without a zone as UTC, and a bare date as its midnight', () => {
    expect(parseTimestampMs('2023-04-24 11:19:59')).toBe(Date.UTC(2023, 3, 24, 11, 19, 59))
    expect(parseTimestampMs('2023-04-24T11:19:59.5')).toBe(Date.UTC(2023, 3, 24, 11, 19, 59, 500))
    expect(parseTimestampMs('2023-04-24')).toBe(Date.UTC(2023, 3, 24))
  })

  it('reads epoch milliseconds and epoch seconds, as numbers or numeric text', () => {
    const ms = Date.UTC(2024, 9, 16, 14, 17, 58, 943)
    expect(parseTimestampMs(ms)).toBe(ms)
    expect(parseTimestampMs(ms / 1000)).toBe(ms)
    expect(parseTimestampMs(String(ms))).toBe(ms)
    expect(parseTimestampMs('1729088278.943')).toBe(ms)
  })

  it('refuses impossible dates, garbage and non-finite numbers', () => {
    for (const bad of [
      '2024-13-01T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:00:00+25:00',
      'yesterday',
      '',
      '   ',
      '2024-01-01T10:00:00Zjunk',
      '9'.repeat(5000),
      NaN,
      Infinity,
      -1,
      1e20,
      true,
      null,
      undefined,
      {},
      []
    ]) {
      expect(parseTimestampMs(bad), String(bad).slice(0, 40)).toBeNull()
    }
    expect(parseTimestampMs('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29))
  })
})

describe('value readers', () => {
  it('reads ids as text and refuses wrong types and huge strings with a reason', () => {
    expect(readId(42, 'x')).toBe('42')
    expect(readId('', 'x')).toBeNull()
    expect(readId(null, 'x')).toBeNull()
    expect(() => readId({}, 'distinct_id')).toThrow('distinct_id is an object, not a string')
    expect(() => readId('a'.repeat(2000), 'uuid')).toThrow('uuid is too long (2000 characters)')
  })

  it('reads Python and JSON booleans', () => {
    expect([true, 'True', 'true', 1, '1'].map(readBoolean)).toEqual([true, true, true, true, true])
    expect([false, 'False', 0, '0'].map(readBoolean)).toEqual([false, false, false, false])
    expect(['yes', null, 2, {}].map(readBoolean)).toEqual([null, null, null, null])
  })

  it('reads properties as an object, JSON text of one, or nothing', () => {
    expect(readPropertiesObject({ a: 1 }, 'p')).toEqual({ a: 1 })
    expect(readPropertiesObject('{"a":1}', 'p')).toEqual({ a: 1 })
    expect(readPropertiesObject(undefined, 'p')).toEqual({})
    expect(() => readPropertiesObject('[1]', 'properties')).toThrow(
      'properties is JSON an array, not an object'
    )
    expect(() => readPropertiesObject('{oops', 'properties')).toThrow(
      /^properties is not valid JSON/
    )
    expect(() => readPropertiesObject(5, 'properties')).toThrow(
      'properties is a number, not an object'
    )
  })
})
