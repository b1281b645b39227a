// A PNG read back by hand: its header, and for 8-bit RGBA images every pixel (all five row
// filters undone), to check an icon's size and colours without an image library.
import { inflateSync } from "node:zlib";

export interface Png {
  width: number;
  height: number;
  bitDepth: number;
  /** 6 = RGBA. */
  colorType: number;
  /** RGBA, row by row; only for 8-bit RGBA images. */
  pixels: Buffer | null;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readPng(file: Buffer): Png {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  if (file.toString("ascii", 12, 16) !== "IHDR") throw new Error("PNG without IHDR first");
  const [width, height] = [file.readUInt32BE(16), file.readUInt32BE(20)];
  const [bitDepth, colorType] = [file[24] as number, file[25] as number];
  if (colorType !== 6 || bitDepth !== 8) return { width, height, bitDepth, colorType, pixels: null };
  const idat: Buffer[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    if (file.toString("ascii", at + 4, at + 8) === "IDAT") idat.push(file.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { width, height, bitDepth, colorType, pixels: unfilter(inflateSync(Buffer.concat(idat)), width, height, 4) };
}

function unfilter(raw: Buffer, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] as number;
      const a = x >= bpp ? (out[y * stride + x - bpp] as number) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (out[(y - 1) * stride + x - bpp] as number) : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter as number];
      if (predictor === undefined) throw new Error(`PNG row filter ${filter}`);
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
