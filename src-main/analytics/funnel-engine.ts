/**
 * The funnel pass: for each person, the furthest step reached within the conversion window and the events of that
 * attempt. Pure code over columns (no SQL), so it runs the same in the worker, the CLI and the tests.
 *
 * Semantics follow PostHog's funnel UDF (`funnel-udf/src/steps.rs`): events are processed in time order; for each
 * step s an attempt remembers when its first step happened (`enteredStart[s]`). A step-1 event starts a new attempt
 * at level 1 only, so later steps keep the older, further attempt until the new one overtakes it: restarting helps
 * only where it lets the person get further. Step s + 1 extends the level-s attempt when it happens at most
 * `windowMs` after that attempt's step 1 (the edge counts). Events with the same timestamp are simultaneous: when they
 * match different steps they are applied step by step in ascending order, and one event never fills two steps of an
 * attempt. In strict mode every event that does not match step s breaks the attempts at level s.
 */

export type FunnelInput = {
  stepCount: number
  windowMs: number
  strict: boolean
  personStart: Int32Array
  timestampMs: Float64Array
  /** Bit s set when the event at `position` matches step s (0 when it matches none). */
  stepMask: (position: number) => number
  /** Events outside [fromMs, toMs] are ignored. */
  fromMs?: number
  toMs?: number
}

export type FunnelRun = {
  stepCount: number
  /** Per person: the 0-based index of the furthest step reached, -1 when step 1 never happened. */
  level: Int8Array
  /** Per person, stepCount slots: the event positions of the attempt that reached `level` (slots 0..level). */
  chain: Int32Array
  /** Per person: position of the first event matching step 1, -1 if none (first-touch breakdowns use it). */
  firstStepPosition: Int32Array
  eventsScanned: number
}

/** Runs the funnel for every person. */
export function runFunnelPass(input: FunnelInput): FunnelRun {
  const { stepCount: L, windowMs, strict, personStart, timestampMs: ts, stepMask } = input
  if (L < 1 || L > 30) throw new Error(`a funnel needs 1 to 30 steps, got ${L}`)
  const fromMs = input.fromMs ?? -Infinity
  const toMs = input.toMs ?? Infinity
  const persons = personStart.length - 1
  const level = new Int8Array(persons).fill(-1)
  const chain = new Int32Array(persons * L).fill(-1)
  const firstStepPosition = new Int32Array(persons).fill(-1)
  const goal = L - 1

  const enteredSet = new Uint8Array(L)
  const enteredStart = new Float64Array(L)
  const enteredChain = new Int32Array(L * L)
  let bestLevel = -1
  let eventsScanned = 0
  const groupPositions: number[] = []
  const groupMasks: number[] = []

  const advance = (position: number, mask: number, t: number, simultaneous: boolean): void => {
    for (let s = L - 1; s >= 0; s--) {
      if ((mask & (1 << s)) === 0) continue
      let start: number
      if (s === 0) {
        // PostHog's entered_timestamp[0] sentinel: step 1 "follows" the current instant.
        if (enteredSet[0] === 1 && enteredStart[0] === t) continue
        start = t
      } else {
        if (enteredSet[s - 1] === 0) continue
        start = enteredStart[s - 1]
        if (t - start > windowMs) continue
        if (enteredSet[s] === 1 && enteredStart[s] === start) continue
        if (simultaneous && chainHolds(enteredChain, (s - 1) * L, s, position)) continue
        enteredChain.copyWithin(s * L, (s - 1) * L, (s - 1) * L + s)
      }
      enteredSet[s] = 1
      enteredStart[s] = start
      enteredChain[s * L + s] = position
      if (s > bestLevel) {
        bestLevel = s
        chain.set(enteredChain.subarray(s * L, s * L + s + 1), currentPerson * L)
      }
    }
    if (strict && !simultaneous) {
      for (let s = 0; s < L; s++) if ((mask & (1 << s)) === 0) enteredSet[s] = 0
    }
  }

  let currentPerson = 0
  for (let p = 0; p < persons; p++) {
    currentPerson = p
    enteredSet.fill(0)
    bestLevel = -1
    const end = personStart[p + 1]
    let i = personStart[p]
    while (i < end && enteredSet[goal] === 0) {
      const t = ts[i]
      if (t < fromMs || t > toMs) {
        i++
        continue
      }
      const mask = stepMask(i)
      eventsScanned++
      if (mask === 0 && !strict) {
        i++
        continue
      }
      if ((mask & 1) !== 0 && firstStepPosition[p] === -1) firstStepPosition[p] = i
      // Gather the events sharing this timestamp (exact ties are simultaneous).
      let j = i + 1
      if (j < end && ts[j] === t) {
        groupPositions.length = 0
        groupMasks.length = 0
        groupPositions.push(i)
        groupMasks.push(mask)
        let allEqual = true
        for (; j < end && ts[j] === t; j++) {
          const m = stepMask(j)
          eventsScanned++
          if (m === 0 && !strict) continue
          if ((m & 1) !== 0 && firstStepPosition[p] === -1) firstStepPosition[p] = j
          groupPositions.push(j)
          groupMasks.push(m)
          if (m !== mask) allEqual = false
        }
        if (allEqual) {
          for (let g = 0; g < groupPositions.length; g++)
            advance(groupPositions[g], groupMasks[g], t, false)
        } else {
          for (let s = 0; s < L; s++) {
            for (let g = 0; g < groupPositions.length; g++) {
              if ((groupMasks[g] & (1 << s)) !== 0) advance(groupPositions[g], 1 << s, t, true)
            }
          }
        }
        i = j
      } else {
        advance(i, mask, t, false)
        i = j
      }
    }
    level[p] = bestLevel
  }
  return { stepCount: L, level, chain, firstStepPosition, eventsScanned }
}

function chainHolds(chain: Int32Array, offset: number, length: number, position: number): boolean {
  for (let k = 0; k < length; k++) if (chain[offset + k] === position) return true
  return false
}

/** The median of a list of numbers (mean of the two middle values for an even count); null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = Float64Array.from(values).sort()
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
