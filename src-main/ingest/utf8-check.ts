import { isUtf8 } from 'node:buffer'
import { ImportError } from './import-error'

/**
 * Checks, chunk by chunk, that a file is UTF-8 text, as JSON and PostHog's CSV exports are.
 *
 * A file in another 8-bit encoding (latin1, Windows-1252: a CSV re-saved by a spreadsheet) would otherwise be read
 * with its accented letters turned into U+FFFD; it is refused with a reason instead. A character split across two
 * chunks is carried over to the next one.
 */
export class Utf8Check {
  private carry: Buffer | null = null
  private checkedBytes = 0

  push(chunk: Buffer): void {
    let start = 0
    if (this.carry !== null) {
      // Complete the character the last chunk cut off with the bytes it lacks, rather than copy the whole chunk.
      const carry = this.carry
      const missing = sequenceLength(carry[0] as number) - carry.length
      if (chunk.length < missing) {
        this.carry = Buffer.concat([carry, chunk])
        return
      }
      const character = Buffer.concat([carry, chunk.subarray(0, missing)])
      if (!isUtf8(character)) this.fail()
      this.checkedBytes += character.length
      this.carry = null
      start = missing
    }
    const body = chunk.subarray(start)
    const end = body.length - incompleteTail(body)
    if (!isUtf8(body.subarray(0, end))) this.fail()
    this.checkedBytes += end
    this.carry = end < body.length ? Buffer.from(body.subarray(end)) : null
  }

  /** The input has ended: a character cut off at the very end is not UTF-8 either. */
  end(): void {
    if (this.carry !== null) this.fail()
  }

  private fail(): never {
    const where = this.checkedBytes === 0 ? 'near the start' : `after byte ${this.checkedBytes}`
    throw new ImportError(
      'bad-encoding',
      `not UTF-8 text (invalid bytes ${where}): if it is latin1 or Windows-1252 text, save it as UTF-8`
    )
  }
}

/** How many bytes at the end of `buf` start a multi-byte character that the buffer cuts off (0-3). */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const byte = buf[buf.length - back] as number
    if ((byte & 0xc0) === 0x80) continue
    return sequenceLength(byte) > back ? back : 0
  }
  return 0
}

/** The length of the UTF-8 sequence a byte starts (1 for ASCII and for bytes that start none). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
}
