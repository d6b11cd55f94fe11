/** PNG width and height from its IHDR chunk. */
export const pngSize = (b: Buffer): { width: number; height: number } => ({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) });
