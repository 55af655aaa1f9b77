import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";

/*
 * Pictures for the media tests, made on the spot: real JPEG, PNG, WebP and AVIF files from
 * libvips, and the hostile ones a newsroom's upload form meets (a bomb, a cut-short file).
 */

/** A `width`×`height` picture of two colours (so resizing has something to keep) in `format`. */
export async function picture(
  format: "jpeg" | "png" | "webp" | "avif" | "gif",
  width = 400,
  height = 300,
): Promise<Buffer> {
  const left = await sharp({
    create: { width: Math.ceil(width / 2), height, channels: 3, background: "#c0392b" },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: "#2c3e50" } })
    .composite([{ input: left, left: 0, top: 0 }])
    .toFormat(format)
    .toBuffer();
}

/**
 * A JPEG as a phone takes it: EXIF with the place it was taken (GPS), the owner's name, and an
 * orientation saying the pixels are stored turned (6: to be turned 90° clockwise), 400×300 stored.
 */
export async function phonePhoto(): Promise<Buffer> {
  return sharp(await picture("jpeg"))
    .withExif({
      IFD0: { Copyright: "Jane Reporter", Artist: "Jane Reporter" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "50/1 27/1 0/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "30/1 31/1 0/1",
      },
    })
    .withMetadata({ orientation: 6 })
    .jpeg()
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a PNG of a few hundred bytes whose header declares `side`×`side` pixels
 * (30000² is 900 MP, 2.7 GB decoded) with a few rows of zeroes behind it.
 */
export function pngBomb(side = 30_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(8, 8); // 8 bits per sample
  header.writeUInt8(2, 9); // RGB
  const rows = deflateSync(Buffer.alloc((side * 3 + 1) * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", rows),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** An SVG, which may carry script: never taken as a picture. */
export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);

/** Sends `bytes` to `POST /api/media` as `type`, like the composer does; `token` null sends no credentials. */
export async function upload(
  url: string,
  token: string | null,
  bytes: Buffer | string,
  type: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${url}/api/media`, {
    method: "POST",
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(type === null ? {} : { "content-type": type }),
      ...headers,
    },
    body: typeof bytes === "string" ? bytes : new Uint8Array(bytes),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? null : JSON.parse(text) };
}
