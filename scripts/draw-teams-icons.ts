// Draws the Teams app icons into manifests/teams/ (run once; the PNGs are committed):
//   color.png   192×192, the accent colour (the Slack app's too) with a white bar chart;
//   outline.png  32×32, the same chart in white on transparent, as Teams asks of outline icons.
// A tiny PNG encoder (RGBA, filter 0, node:zlib) and 4×4 supersampling for smooth rounded bar tops.
//   npx tsx scripts/draw-teams-icons.ts
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { crc32 } from "../src/packaging/crc32.ts";

type Rgba = [number, number, number, number];

/** A bar: left, right, top and bottom edges in pixels; the top corners rounded by `radius`. */
interface Bar {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  radius: number;
}

function insideBar(x: number, y: number, b: Bar): boolean {
  if (x < b.x0 || x >= b.x1 || y < b.y0 || y >= b.y1) return false;
  const cy = b.y0 + b.radius;
  if (y >= cy) return true;
  const cx = Math.min(Math.max(x, b.x0 + b.radius), b.x1 - b.radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= b.radius ** 2;
}

/** How much of pixel (px, py) the bars cover, 0–1, from 16 samples. */
function coverage(px: number, py: number, bars: Bar[]): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++)
    for (let sx = 0; sx < 4; sx++) {
      const [x, y] = [px + (sx + 0.5) / 4, py + (sy + 0.5) / 4];
      if (bars.some((b) => insideBar(x, y, b))) hits++;
    }
  return hits / 16;
}

function draw(size: number, background: Rgba, bars: Bar[]): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, bars);
      const at = (y * size + x) * 4;
      // White over the background, by coverage (over transparent: white, with coverage as alpha).
      const alpha = background[3] === 0 ? c * 255 : 255;
      for (let i = 0; i < 3; i++)
        pixels[at + i] = Math.round(background[3] === 0 ? 255 : background[i] + (255 - background[i]) * c);
      pixels[at + 3] = Math.round(alpha);
    }
  return png(size, size, pixels);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Three rising bars filling the middle of a `size` square (Teams keeps the symbol in the centre half). */
function chart(size: number, scale: number): Bar[] {
  const heights = [0.35, 0.6, 0.85];
  const width = 0.2 * scale;
  const gap = 0.1 * scale;
  const left = (size - (3 * width + 2 * gap)) / 2;
  const bottom = size - (size - scale) / 2;
  return heights.map((h, i) => ({
    x0: left + i * (width + gap),
    x1: left + i * (width + gap) + width,
    y0: bottom - h * scale,
    y1: bottom,
    radius: width / 2,
  }));
}

const ACCENT: Rgba = [0x14, 0x53, 0x2d, 255];
const out = new URL("../manifests/teams/", import.meta.url);
writeFileSync(new URL("color.png", out), draw(192, ACCENT, chart(192, 100)));
writeFileSync(new URL("outline.png", out), draw(32, [0, 0, 0, 0], chart(32, 30)));
