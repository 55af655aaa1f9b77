/**
 * Draws the app's icons (client/public/icons/*.png) from the same shapes as favicon.svg: a red
 * square with a white dot. Run it after changing them: `npx tsx scripts/make-icons.ts`; the PNGs
 * are kept in the repository. PNGs, because home screens (and iOS above all) want bitmaps; drawn
 * here, because no image library is a dependency.
 */
import fs from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

const RED = [0xb3, 0x26, 0x1e] as const;
const WHITE = [0xff, 0xff, 0xff] as const;

/** One icon: its size, the corner radius and the dot's radius as shares of the size. */
interface Icon {
  file: string;
  size: number;
  corner: number;
  dot: number;
}

const ICONS: Icon[] = [
  { file: "icon-192.png", size: 192, corner: 6 / 32, dot: 6 / 32 },
  { file: "icon-512.png", size: 512, corner: 6 / 32, dot: 6 / 32 },
  // Maskable: the whole square is painted (the home screen cuts its own shape) and the dot stays
  // well inside the safe circle of 80%.
  { file: "maskable-512.png", size: 512, corner: 0, dot: 5 / 32 },
  // iOS rounds the corners itself and shows no transparency.
  { file: "apple-touch-icon.png", size: 180, corner: 0, dot: 6 / 32 },
];

/** How much of the pixel at (x, y) lies inside the shape, 0–1, from 4×4 samples. */
function coverage(inside: (x: number, y: number) => boolean, x: number, y: number): number {
  let hits = 0;
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) hits++;
  return hits / 16;
}

function draw(icon: Icon): Buffer {
  const { size } = icon;
  const r = icon.corner * size;
  const center = size / 2;
  const dot = icon.dot * size;
  const inSquare = (x: number, y: number) => {
    const dx = Math.max(r - x, x - (size - r), 0);
    const dy = Math.max(r - y, y - (size - r), 0);
    return dx * dx + dy * dy <= r * r;
  };
  const inDot = (x: number, y: number) => (x - center) ** 2 + (y - center) ** 2 <= dot * dot;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const alpha = coverage(inSquare, x, y);
      const white = coverage(inDot, x, y);
      for (let c = 0; c < 3; c++)
        row[1 + x * 4 + c] = Math.round((RED[c] ?? 0) * (1 - white) + (WHITE[c] ?? 0) * white);
      row[1 + x * 4 + 3] = Math.round(alpha * 255);
    }
    rows.push(row);
  }
  return png(size, Buffer.concat(rows));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG from rows that each start with filter byte 0. */
function png(size: number, rows: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const out = path.resolve(import.meta.dirname, "..", "client", "public", "icons");
fs.mkdirSync(out, { recursive: true });
for (const icon of ICONS) {
  fs.writeFileSync(path.join(out, icon.file), draw(icon));
  process.stdout.write(`${icon.file}\n`);
}
