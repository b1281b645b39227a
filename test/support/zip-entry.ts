// One entry of a zip file (an XLSX is one) as text, to look at the XML a writer produced where a
// reader like exceljs would not tell (styles.xml's quotePrefix, for one). Reads the central
// directory, which holds the sizes even when the local headers defer them to a data descriptor.
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_HEADER = 0x02014b50;

export interface ZipFileEntry {
  name: string;
  /** The CRC-32 the central directory records for it. */
  crc: number;
  data: Buffer;
}

/** Every entry of a zip, in central-directory order, inflated. */
export function zipEntries(zip: Buffer, label = "zip"): ZipFileEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || zip.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) throw new Error(`${label}: not a zip file`);
  const entries: ZipFileEntry[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = zip.readUInt16LE(end + 10); i > 0; i--) {
    if (zip.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`${label}: bad central directory`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    entries.push({
      name: zip.toString("utf8", at + 46, at + 46 + nameLength),
      crc,
      data: method === 0 ? data : inflateRawSync(data),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export function zipEntryText(path: string, name: string): string {
  const entry = zipEntries(readFileSync(path), path).find((e) => e.name === name);
  if (!entry) throw new Error(`${path}: no entry ${name}`);
  return entry.data.toString("utf8");
}

/** The cellXfs <xf> elements of an XLSX's styles.xml, in style-id order. */
export function cellXfs(path: string): string[] {
  const styles = zipEntryText(path, "xl/styles.xml");
  const list = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? "";
  return list.match(/<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g) ?? [];
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** The XML of the worksheet a workbook names `name`, found through workbook.xml and its relationships. */
export function worksheetXml(path: string, name: string): string {
  const sheet = zipEntryText(path, "xl/workbook.xml")
    .match(/<sheet\b[^>]*>/g)
    ?.find((tag) => attribute(tag, "name") === name);
  const id = sheet && attribute(sheet, "r:id");
  const target = zipEntryText(path, "xl/_rels/workbook.xml.rels")
    .match(/<Relationship\b[^>]*>/g)
    ?.find((tag) => attribute(tag, "Id") === id);
  if (!target) throw new Error(`${path}: no sheet ${name}`);
  return zipEntryText(path, `xl/${attribute(target, "Target")}`);
}

export interface SheetCell {
  /** Index into cellXfs (s="…"), 0 when absent. */
  style: number;
  /** The text of a string or inline-string cell, the <v> of any other, "" when empty. */
  text: string;
}

const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e] as string);

/** A worksheet's cells by reference (A1, B7 …). */
export function worksheetCells(path: string, name: string): Map<string, SheetCell> {
  const cells = new Map<string, SheetCell>();
  for (const m of worksheetXml(path, name).matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attrs = m[1] as string;
    const text = [...(m[2] ?? "").matchAll(/<(?:v|t)\b[^>]*>([\s\S]*?)<\/(?:v|t)>/g)].map((t) => t[1]).join("");
    cells.set(attribute(attrs, "r") as string, { style: Number(attribute(attrs, "s") ?? 0), text: unescapeXml(text) });
  }
  return cells;
}
