import { describe, expect, it } from 'vitest'
import { Utf8Check } from './utf8-check'

const TEXT = Buffer.from('{"a":"Zoë — 東京 🎉 ok"}', 'utf8')

function check(chunks: Buffer[]): void {
  const utf8 = new Utf8Check()
  for (const chunk of chunks) utf8.push(chunk)
  utf8.end()
}

describe('Utf8Check', () => {
  it('accepts UTF-8 text cut into chunks anywhere, even inside a character', () => {
    for (let a = 0; a <= TEXT.length; a++) {
      for (let b = a; b <= TEXT.length; b++) {
        expect(() => check([TEXT.subarray(0, a), TEXT.subarray(a, b), TEXT.subarray(b)])).not.toThrow()
      }
    }
  })

  it('refuses latin1 bytes and a character cut off at the end, wherever the chunks are cut', () => {
    const latin1 = Buffer.from('{"a":"Zoë"}', 'latin1')
    for (let a = 0; a <= latin1.length; a++) {
      expect(() => check([latin1.subarray(0, a), latin1.subarray(a)])).toThrow(/not UTF-8 text/)
    }
    const cut = TEXT.subarray(0, TEXT.indexOf(Buffer.from('🎉')) + 2)
    for (let a = 0; a <= cut.length; a++) {
      expect(() => check([cut.subarray(0, a), cut.subarray(a)])).toThrow(/not UTF-8 text/)
    }
    // A lead byte followed by another lead byte across the cut.
    expect(() => check([Buffer.from([0x22, 0xe6]), Buffer.from([0xe6, 0x9d, 0xb1, 0x22])])).toThrow(/not UTF-8/)
  })
})
