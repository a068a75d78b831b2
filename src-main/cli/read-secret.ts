/**
 * Asks for a secret on a terminal without echoing it, and resolves with what was typed.
 *
 * Raw mode, so the typed characters never appear; Ctrl-C rejects, Enter finishes, Backspace edits.
 */
export function readSecret(
  prompt: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream
): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt)
    let value = ''
    const wasRaw = input.isRaw
    input.setRawMode?.(true)
    input.resume()
    input.setEncoding('utf8')
    const finish = (error: Error | null) => {
      input.setRawMode?.(wasRaw)
      input.pause()
      input.removeListener('data', onData)
      output.write('\n')
      if (error) reject(error)
      else resolve(value)
    }
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null)
        if (char === '\u0003') return finish(new Error('cancelled'))
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1)
        else if (char >= ' ') value += char
      }
    }
    input.on('data', onData)
  })
}
