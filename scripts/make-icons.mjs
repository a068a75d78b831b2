#!/usr/bin/env node
// Draws the Tapedeck icon (a cassette on a teal tile) and writes resources/icon.png (1024 px), resources/icons/
// <size>x<size>.png (Linux), resources/icon.ico (Windows, PNG-compressed entries) and resources/icon.svg (the same
// drawing as a vector, for documentation). Plain Node, no image tools: shapes are rasterised with 4x4 supersampling.
// Run `node scripts/make-icons.mjs` after changing the drawing; the outputs are committed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const resources = join(root, 'resources')

// The drawing, in a 0..1 unit square. Later shapes paint over earlier ones.
const TEAL_TOP = [42, 157, 143]
const TEAL_BOTTOM = [38, 70, 83]
const SHAPES = [
  { kind: 'rrect', x0: 0.04, y0: 0.04, x1: 0.96, y1: 0.96, r: 0.2, fill: 'gradient' },
  { kind: 'rrect', x0: 0.16, y0: 0.27, x1: 0.84, y1: 0.75, r: 0.06, fill: [250, 248, 242] },
  { kind: 'rrect', x0: 0.26, y0: 0.36, x1: 0.74, y1: 0.56, r: 0.1, fill: [38, 70, 83] },
  { kind: 'circle', cx: 0.37, cy: 0.46, r: 0.068, fill: [250, 248, 242] },
  { kind: 'circle', cx: 0.63, cy: 0.46, r: 0.068, fill: [250, 248, 242] },
  { kind: 'circle', cx: 0.37, cy: 0.46, r: 0.028, fill: [233, 196, 106] },
  { kind: 'circle', cx: 0.63, cy: 0.46, r: 0.028, fill: [233, 196, 106] },
  { kind: 'rrect', x0: 0.3, y0: 0.63, x1: 0.7, y1: 0.75, r: 0.02, fill: [214, 210, 200] }
]

function inside(shape, x, y) {
  if (shape.kind === 'circle') return (x - shape.cx) ** 2 + (y - shape.cy) ** 2 <= shape.r ** 2
  if (x < shape.x0 || x > shape.x1 || y < shape.y0 || y > shape.y1) return false
  const cx = Math.min(Math.max(x, shape.x0 + shape.r), shape.x1 - shape.r)
  const cy = Math.min(Math.max(y, shape.y0 + shape.r), shape.y1 - shape.r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= shape.r ** 2
}

function colorAt(x, y) {
  let color = null
  for (const shape of SHAPES) {
    if (!inside(shape, x, y)) continue
    color =
      shape.fill === 'gradient'
        ? TEAL_TOP.map((c, i) => Math.round(c + (TEAL_BOTTOM[i] - c) * y))
        : shape.fill
  }
  return color
}

function render(size) {
  const samples = 4
  const pixels = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const color = colorAt(
            (px + (sx + 0.5) / samples) / size,
            (py + (sy + 0.5) / samples) / size
          )
          if (color === null) continue
          r += color[0]
          g += color[1]
          b += color[2]
          a++
        }
      }
      const o = (py * size + px) * 4
      if (a > 0) {
        pixels[o] = Math.round(r / a)
        pixels[o + 1] = Math.round(g / a)
        pixels[o + 2] = Math.round(b / a)
      }
      pixels[o + 3] = Math.round((a / samples ** 2) * 255)
    }
  }
  return encodePng(size, size, pixels)
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buffer) {
  let c = 0xffffffff
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++)
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

function encodeIco(entries) {
  const header = Buffer.alloc(6)
  header.writeUInt16LE(1, 2)
  header.writeUInt16LE(entries.length, 4)
  let offset = 6 + 16 * entries.length
  const directory = entries.map(({ size, png }) => {
    const entry = Buffer.alloc(16)
    entry[0] = size >= 256 ? 0 : size
    entry[1] = size >= 256 ? 0 : size
    entry.writeUInt16LE(1, 4) // planes
    entry.writeUInt16LE(32, 6) // bits per pixel
    entry.writeUInt32LE(png.length, 8)
    entry.writeUInt32LE(offset, 12)
    offset += png.length
    return entry
  })
  return Buffer.concat([header, ...directory, ...entries.map((e) => e.png)])
}

function toSvg() {
  const n = (v) => Math.round(v * 1024)
  const rgb = (c) => `rgb(${c.join(',')})`
  const body = SHAPES.map((s) =>
    s.kind === 'circle'
      ? `<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${n(s.r)}" fill="${rgb(s.fill)}"/>`
      : `<rect x="${n(s.x0)}" y="${n(s.y0)}" width="${n(s.x1 - s.x0)}" height="${n(s.y1 - s.y0)}" rx="${n(s.r)}" ` +
        `fill="${s.fill === 'gradient' ? 'url(#tile)' : rgb(s.fill)}"/>`
  ).join('\n  ')
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">\n` +
    `  <defs><linearGradient id="tile" x1="0" y1="0" x2="0" y2="1">` +
    `<stop offset="0" stop-color="${rgb(TEAL_TOP)}"/><stop offset="1" stop-color="${rgb(TEAL_BOTTOM)}"/>` +
    `</linearGradient></defs>\n  ${body}\n</svg>\n`
  )
}

mkdirSync(join(resources, 'icons'), { recursive: true })
const pngs = new Map()
for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
  const png = render(size)
  pngs.set(size, png)
  if (size <= 512) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), png)
}
writeFileSync(join(resources, 'icon.png'), pngs.get(1024))
writeFileSync(
  join(resources, 'icon.ico'),
  encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: pngs.get(size) })))
)
writeFileSync(join(resources, 'icon.svg'), toSvg())
console.log(
  'wrote resources/icon.png, resources/icon.ico, resources/icon.svg and resources/icons/*.png'
)
