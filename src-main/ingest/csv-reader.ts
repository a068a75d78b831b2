import { ImportError } from './import-error'

/** A streaming RFC 4180 reader: feed text in any pieces, take complete records as they appear. */
export type CsvReader = {
  /** Parses more text and returns the records it completed (possibly none). */
  push(text: string): string[][]
  /**
   * Ends the input and returns the last record, if any.
   *
   * Throws `ImportError('truncated')` when the text ends inside a quoted field.
   */
  end(): string[][]
}

export type CsvReaderOptions = {
  /** Longest record, in UTF-16 units, before the reader gives up (a stray quote would otherwise swallow the file). */
  maxRecordChars?: number
}

const QUOTE = 34
const COMMA = 44
const LF = 10
const CR = 13
const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024

/**
 * Creates a streaming CSV reader (RFC 4180: comma separated, `"`-quoted fields with `""` escapes and embedded
 * line breaks, CRLF or LF line ends).
 *
 * A UTF-8 BOM at the very start is dropped. Blank lines are skipped (a record needs at least one character or a
 * quoted field). A quote inside an unquoted field, or text after a closing quote, is kept as literal text, as
 * spreadsheet programs do. Fields are slices of the input (joined only across chunks or `""` escapes).
 */
export function createCsvReader(options: CsvReaderOptions = {}): CsvReader {
  const reader = new StreamingCsvReader(options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS)
  return { push: (text) => reader.push(text), end: () => reader.end() }
}

class StreamingCsvReader {
  private record: string[] = []
  /** Text of the current field from earlier chunks, closing quotes or `""` escapes. */
  private pending = ''
  private inQuotes = false
  /** The previous chunk ended on a quote inside a quoted field: an escape or the closing quote. */
  private quotePending = false
  /** The previous chunk ended on CR outside quotes: a following LF belongs to the same line end. */
  private crPending = false
  /** The current field has content or was quoted, so the record is not a blank line. */
  private touched = false
  private atFieldStart = true
  private started = false
  private line = 1
  private quoteLine = 1
  /** Characters of the unfinished record held from earlier chunks. */
  private heldChars = 0

  constructor(private readonly maxRecordChars: number) {}

  push(input: string): string[][] {
    const out: string[][] = []
    let text = input
    if (!this.started && text.length > 0) {
      this.started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    const n = text.length
    if (n === 0) return out
    let record = this.record
    let pending = this.pending
    let inQuotes = this.inQuotes
    let touched = this.touched
    let atFieldStart = this.atFieldStart
    let line = this.line
    let quoteLine = this.quoteLine
    let i = 0
    let recordStart = 0
    if (this.crPending) {
      this.crPending = false
      if (text.charCodeAt(0) === LF) i = 1
    }
    if (this.quotePending) {
      this.quotePending = false
      if (text.charCodeAt(0) === QUOTE) {
        pending += '"'
        i++
      } else {
        inQuotes = false
      }
    }
    // The next line feed, remembered until passed: searching again from every `""` escape made a long quoted field
    // full of escapes quadratic (an 8 MB one took 20 s).
    let nextNewline = -1
    while (i < n) {
      if (inQuotes) {
        const quote = text.indexOf('"', i)
        const stop = quote === -1 ? n : quote
        if (nextNewline < i) nextNewline = indexOrEnd(text.indexOf('\n', i), n)
        while (nextNewline < stop) {
          line++
          nextNewline = indexOrEnd(text.indexOf('\n', nextNewline + 1), n)
        }
        if (quote === -1) {
          pending += text.slice(i)
          i = n
          break
        }
        if (quote > i) pending += text.slice(i, quote)
        if (quote + 1 === n) {
          this.quotePending = true
          i = n
          break
        }
        if (text.charCodeAt(quote + 1) === QUOTE) {
          pending += '"'
          i = quote + 2
        } else {
          inQuotes = false
          i = quote + 1
        }
        continue
      }
      if (atFieldStart && text.charCodeAt(i) === QUOTE) {
        inQuotes = true
        touched = true
        atFieldStart = false
        quoteLine = line
        i++
        continue
      }
      // Unquoted text (or text after a closing quote) up to the next delimiter.
      let j = i
      let code = 0
      while (j < n) {
        code = text.charCodeAt(j)
        if (code === COMMA || code === LF || code === CR) break
        j++
      }
      if (j === n) {
        if (j > i) {
          pending += text.slice(i)
          touched = true
          atFieldStart = false
        }
        break
      }
      const value = pending === '' ? text.slice(i, j) : j > i ? pending + text.slice(i, j) : pending
      pending = ''
      atFieldStart = true
      i = j + 1
      if (code === COMMA) {
        record.push(value)
        touched = true
        continue
      }
      if (record.length > 0 || touched || value !== '') {
        record.push(value)
        out.push(record)
        record = []
      }
      touched = false
      line++
      if (code === CR) {
        if (i === n) this.crPending = true
        else if (text.charCodeAt(i) === LF) i++
      }
      recordStart = i
      this.heldChars = 0
    }
    this.record = record
    this.pending = pending
    this.inQuotes = inQuotes
    this.touched = touched
    this.atFieldStart = atFieldStart
    this.line = line
    this.quoteLine = quoteLine
    this.heldChars += n - recordStart
    if (this.heldChars > this.maxRecordChars) {
      throw new ImportError(
        'too-large',
        `a CSV record starting near line ${inQuotes ? quoteLine : line} is longer than ${this.maxRecordChars} characters`
      )
    }
    return out
  }

  end(): string[][] {
    if (this.quotePending) {
      this.quotePending = false
      this.inQuotes = false
    }
    if (this.inQuotes) {
      throw new ImportError(
        'truncated',
        `truncated CSV: unterminated quoted field starting on line ${this.quoteLine}`
      )
    }
    const out: string[][] = []
    if (this.record.length > 0 || this.pending !== '' || this.touched) {
      this.record.push(this.pending)
      out.push(this.record)
    }
    this.record = []
    this.pending = ''
    this.touched = false
    return out
  }
}

function indexOrEnd(index: number, end: number): number {
  return index === -1 ? end : index
}
