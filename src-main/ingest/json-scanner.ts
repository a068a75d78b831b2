import { ImportError } from './import-error'

export type PathSegment = string | number
export type ScanDecision = 'capture' | 'descend' | 'skip'
export type ValueKind = 'object' | 'array' | 'scalar'

/**
 * Decides, value by value, how much of a JSON document to look at.
 *
 * `path` is the value's location (`[]` for a top-level value, `['data', 'snapshots', 12]` for an array item). It is
 * reused between calls: copy it if you keep it.
 */
export type ScanVisitor = {
  onValueStart(path: readonly PathSegment[], kind: ValueKind): ScanDecision
  /** The raw bytes of a value whose start returned `capture` (parse them with `JSON.parse`). */
  onCapture(path: readonly PathSegment[], raw: Buffer): void
  /** A container that was descended into has closed. */
  onContainerEnd?(path: readonly PathSegment[], kind: 'object' | 'array'): void
}

export type ScannerOptions = {
  /** Largest single captured value. */
  maxValueBytes?: number
  /** Deepest descent (captured values are not counted: `JSON.parse` handles them). */
  maxDepth?: number
}

const enum State {
  Top,
  Value,
  KeyOrEnd,
  Key,
  Colon,
  CommaOrObjectEnd,
  ValueOrArrayEnd,
  CommaOrArrayEnd
}

type Frame = { kind: 'object' | 'array'; index: number }

const QUOTE = 0x22
const BACKSLASH = 0x5c

const IN_STRING = 1
const OPENS = 2
const CLOSES = 3
/** What a byte outside strings means to a value scan: 0 nothing, or one of the kinds above. */
const STRUCTURE = new Uint8Array(256)
STRUCTURE[QUOTE] = IN_STRING
STRUCTURE[0x7b] = OPENS
STRUCTURE[0x5b] = OPENS
STRUCTURE[0x7d] = CLOSES
STRUCTURE[0x5d] = CLOSES

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

/**
 * A streaming walker over the outer structure of a JSON document (or a sequence of top-level values, as in JSON
 * Lines), fed one buffer at a time.
 *
 * It tokenises only the levels the visitor descends into and hands every other value over as raw bytes, so a
 * multi-hundred-megabyte export is read with memory bounded by its largest single value. Captured values are not
 * validated here: `JSON.parse` of the bytes does that. Errors are `ImportError`s with the byte offset.
 */
export class JsonStreamScanner {
  private readonly visitor: ScanVisitor
  private readonly maxValueBytes: number
  private readonly maxDepth: number
  private readonly frames: Frame[] = []
  private readonly path: PathSegment[] = []
  private state: State = State.Top
  private carry: Buffer | null = null
  /** Bytes consumed before the current buffer. */
  private offset = 0
  private topValues = 0
  private sawBom = false

  // Value scan (capture or skip) state, kept across buffers.
  private scanning = false
  private scanCapture = false
  private scanKind: 'container' | 'string' | 'literal' = 'container'
  private scanDepth = 0
  private scanInString = false
  private scanEscaped = false
  private scanParts: Buffer[] = []
  private scanBytes = 0
  private scanStartOffset = 0
  /** Where the value being captured starts in the current buffer (0 once it spans buffers). */
  private scanStartInBuffer: number | null = null

  constructor(visitor: ScanVisitor, options: ScannerOptions = {}) {
    this.visitor = visitor
    this.maxValueBytes = options.maxValueBytes ?? 512 * 1024 * 1024
    this.maxDepth = options.maxDepth ?? 64
  }

  /** Number of complete top-level values seen so far. */
  get topLevelValueCount(): number {
    return this.topValues
  }

  /** Byte offset of the scanner in the whole input. */
  get position(): number {
    return this.offset
  }

  push(chunk: Buffer): void {
    let buf = chunk
    if (this.carry !== null) {
      // Carried bytes were not counted in `offset` when they were put aside.
      buf = Buffer.concat([this.carry, chunk])
      this.carry = null
    }
    let i = 0
    if (!this.sawBom) {
      if (buf.length < 3 && this.offset === 0 && buf.length > 0 && buf[0] === 0xef) {
        this.carry = buf
        return
      }
      this.sawBom = true
      if (this.offset === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3
    }
    const len = buf.length
    while (i < len) {
      if (this.scanning) {
        i = this.scanValue(buf, i)
        continue
      }
      const c = buf[i]
      if (isWhitespace(c)) {
        i++
        continue
      }
      switch (this.state) {
        case State.Top:
        case State.Value:
        case State.ValueOrArrayEnd: {
          if (this.state === State.ValueOrArrayEnd && c === 0x5d) {
            i = this.closeContainer(i, 'array')
            break
          }
          i = this.startValue(i, c)
          break
        }
        case State.KeyOrEnd:
        case State.Key: {
          if (c === 0x7d && this.state === State.KeyOrEnd) {
            i = this.closeContainer(i, 'object')
            break
          }
          if (c !== QUOTE) this.fail(i, `expected a property name, found ${describeByte(c)}`)
          const end = findStringEnd(buf, i + 1)
          if (end === -1) {
            this.carry = buf.subarray(i)
            this.offset += i
            return
          }
          let key: string
          try {
            key = decodeJsonString(buf, i, end)
          } catch (error) {
            // An escape JSON.parse refuses (a raw control character, a bad \u): the file's fault, named as such.
            this.fail(i, `bad property name (${(error as Error).message})`)
          }
          this.path.push(key)
          this.state = State.Colon
          i = end + 1
          break
        }
        case State.Colon: {
          if (c !== 0x3a) this.fail(i, `expected ':' after a property name, found ${describeByte(c)}`)
          this.state = State.Value
          i++
          break
        }
        case State.CommaOrObjectEnd: {
          if (c === 0x2c) {
            this.state = State.Key
            i++
          } else if (c === 0x7d) {
            i = this.closeContainer(i, 'object')
          } else this.fail(i, `expected ',' or '}', found ${describeByte(c)}`)
          break
        }
        case State.CommaOrArrayEnd: {
          if (c === 0x2c) {
            this.state = State.Value
            i++
          } else if (c === 0x5d) {
            i = this.closeContainer(i, 'array')
          } else this.fail(i, `expected ',' or ']', found ${describeByte(c)}`)
          break
        }
      }
    }
    if (this.scanning && this.scanCapture && this.scanStartInBuffer !== null) {
      this.pushScanPart(buf.subarray(this.scanStartInBuffer))
    }
    this.scanStartInBuffer = this.scanning ? 0 : null
    this.offset += len
  }

  /** Signals the end of input; throws if the document is incomplete. */
  end(): void {
    if (this.scanning && this.scanKind === 'literal') {
      this.finishScan(null)
    }
    if (this.carry !== null && this.carry.length > 0 && !this.carry.every(isWhitespace)) {
      throw new ImportError(
        'truncated',
        `unexpected end of input at byte ${this.offset + this.carry.length}: the file is truncated (inside a property name)`
      )
    }
    if (this.scanning || this.frames.length > 0 || this.state !== State.Top) {
      throw new ImportError(
        'truncated',
        `unexpected end of input at byte ${this.offset}: the file is truncated (JSON ends inside ${this.describeLocation()})`
      )
    }
    if (this.topValues === 0) throw new ImportError('empty', 'the file holds no JSON value')
  }

  private startValue(i: number, c: number): number {
    let kind: ValueKind
    if (c === 0x7b) kind = 'object'
    else if (c === 0x5b) kind = 'array'
    else if (c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e)
      kind = 'scalar'
    else {
      this.fail(i, `unexpected ${describeByte(c)} where a value should start`)
    }
    const parent = this.frames.at(-1)
    if (parent?.kind === 'array') this.path.push(parent.index)
    const decision = this.visitor.onValueStart(this.path, kind)
    if (decision === 'descend' && kind !== 'scalar') {
      if (this.frames.length >= this.maxDepth) {
        throw new ImportError('too-deep', `JSON nested deeper than ${this.maxDepth} levels at byte ${this.offset + i}`)
      }
      this.frames.push({ kind, index: 0 })
      this.state = kind === 'object' ? State.KeyOrEnd : State.ValueOrArrayEnd
      return i + 1
    }
    this.scanning = true
    this.scanCapture = decision === 'capture'
    this.scanParts = []
    this.scanBytes = 0
    this.scanStartOffset = this.offset + i
    this.scanStartInBuffer = i
    this.scanEscaped = false
    if (kind === 'scalar') {
      if (c === QUOTE) {
        this.scanKind = 'string'
        this.scanInString = true
        this.scanDepth = 0
        return i + 1
      }
      this.scanKind = 'literal'
      this.scanInString = false
      return i + 1
    }
    this.scanKind = 'container'
    this.scanInString = false
    this.scanDepth = 1
    return i + 1
  }

  /** Advances through a captured or skipped value; returns the next index to look at. */
  private scanValue(buf: Buffer, start: number): number {
    const len = buf.length
    let i = start
    if (this.scanKind === 'literal') {
      while (i < len) {
        const c = buf[i]
        if (c === 0x2c || c === 0x7d || c === 0x5d || isWhitespace(c)) {
          this.finishScan(buf, i)
          return i
        }
        i++
      }
      return len
    }
    let depth = this.scanDepth
    let inString = this.scanInString
    let nextBackslash = -1
    // Both searches are remembered until passed: looking for the quote again after every escape made a string with
    // many escapes and a distant closing quote quadratic (an 8 MB string of backslashes took minutes).
    let nextQuote = -1
    while (i < len) {
      if (inString) {
        if (this.scanEscaped) {
          this.scanEscaped = false
          i++
          continue
        }
        if (nextQuote < i && nextQuote !== len) {
          nextQuote = buf.indexOf(QUOTE, i)
          if (nextQuote === -1) nextQuote = len
        }
        const quote = nextQuote === len ? -1 : nextQuote
        if (nextBackslash < i && nextBackslash !== len) {
          nextBackslash = buf.indexOf(BACKSLASH, i)
          if (nextBackslash === -1) nextBackslash = len
        }
        const stop = quote === -1 ? len : quote
        if (nextBackslash < stop) {
          i = nextBackslash + 2
          if (i > len) {
            this.scanEscaped = true
            i = len
          }
          continue
        }
        if (quote === -1) {
          i = len
          break
        }
        inString = false
        i = quote + 1
        if (depth === 0) {
          this.scanInString = false
          this.scanDepth = 0
          this.finishScan(buf, i)
          return i
        }
        continue
      }
      // Outside strings, most bytes (digits, ':', ',', literals) only move on: one table look-up tells them apart.
      const kind = STRUCTURE[buf[i]]
      i++
      if (kind === 0) continue
      if (kind === IN_STRING) inString = true
      else if (kind === OPENS) depth++
      else {
        depth--
        if (depth === 0) {
          this.scanDepth = 0
          this.scanInString = false
          this.finishScan(buf, i)
          return i
        }
      }
    }
    this.scanDepth = depth
    this.scanInString = inString
    return len
  }

  private pushScanPart(part: Buffer): void {
    this.scanBytes += part.length
    if (this.scanBytes > this.maxValueBytes) {
      throw new ImportError(
        'too-large',
        `a single value starting at byte ${this.scanStartOffset} is larger than ${Math.round(this.maxValueBytes / 1048576)} MB`
      )
    }
    this.scanParts.push(part)
  }

  private finishScan(buf: Buffer | null, endIndex = 0): void {
    this.scanning = false
    if (this.scanCapture) {
      if (buf !== null && this.scanStartInBuffer !== null) {
        this.pushScanPart(buf.subarray(this.scanStartInBuffer, endIndex))
      }
      const raw = this.scanParts.length === 1 ? this.scanParts[0] : Buffer.concat(this.scanParts)
      this.scanParts = []
      this.visitor.onCapture(this.path, raw)
    }
    this.scanStartInBuffer = null
    this.afterValue()
  }

  private closeContainer(i: number, kind: 'object' | 'array'): number {
    this.frames.pop()
    this.visitor.onContainerEnd?.(this.path, kind)
    this.afterValue()
    return i + 1
  }

  /** A value (scalar, captured, skipped or closed container) has ended: pop its path segment, expect what follows. */
  private afterValue(): void {
    const parent = this.frames.at(-1)
    if (parent === undefined) {
      this.topValues++
      this.state = State.Top
      return
    }
    this.path.pop()
    if (parent.kind === 'array') {
      parent.index++
      this.state = State.CommaOrArrayEnd
    } else {
      this.state = State.CommaOrObjectEnd
    }
  }

  private describeLocation(): string {
    if (this.scanning) return this.path.length === 0 ? 'a top-level value' : `the value at ${formatPath(this.path)}`
    if (this.frames.length === 0) return 'the top level'
    return `the ${this.frames.at(-1)!.kind} at ${formatPath(this.path) || 'the top level'}`
  }

  private fail(i: number, message: string, at = this.offset + i): never {
    throw new ImportError('bad-json', `invalid JSON at byte ${at}: ${message}`)
  }
}

/** `data.snapshots[3]`-style rendering of a path, for messages. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = ''
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`
  }
  return out
}

/** Index of the closing quote of a string whose content starts at `from`, or -1 when the buffer ends first. */
function findStringEnd(buf: Buffer, from: number): number {
  let i = from
  for (;;) {
    const quote = buf.indexOf(QUOTE, i)
    if (quote === -1) return -1
    let backslashes = 0
    let k = quote - 1
    while (k >= from && buf[k] === BACKSLASH) {
      backslashes++
      k--
    }
    if (backslashes % 2 === 0) return quote
    i = quote + 1
  }
}

function decodeJsonString(buf: Buffer, openQuote: number, closeQuote: number): string {
  if (buf.indexOf(BACKSLASH, openQuote) === -1 || buf.indexOf(BACKSLASH, openQuote) > closeQuote) {
    return buf.toString('utf8', openQuote + 1, closeQuote)
  }
  return JSON.parse(buf.toString('utf8', openQuote, closeQuote + 1)) as string
}

function describeByte(c: number): string {
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`
  return `byte 0x${c.toString(16).padStart(2, '0')}`
}
