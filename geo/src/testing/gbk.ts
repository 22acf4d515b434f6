let table: Map<string, number> | null = null;

/**
 * Encodes text as GBK (code page 936). Node's TextDecoder reads GBK but nothing in Node
 * writes it, so the table is built once by decoding every two-byte GBK code (lead
 * 0x81–0xFE, trail 0x40–0xFE without 0x7F): the encoder is exactly the decoder's inverse.
 * Throws on a character GBK cannot hold rather than writing a substitute.
 */
export function encodeGbk(text: string): Uint8Array {
  if (!table) {
    table = new Map();
    const decoder = new TextDecoder('gbk');
    const pair = new Uint8Array(2);
    for (let lead = 0x81; lead <= 0xfe; lead++)
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        pair[0] = lead;
        pair[1] = trail;
        const ch = decoder.decode(pair);
        if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, (lead << 8) | trail);
      }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    const code = table.get(ch);
    if (code === undefined)
      throw new Error(`GBK cannot encode ${JSON.stringify(ch)} (U+${c.toString(16).toUpperCase()})`);
    out.push(code >> 8, code & 0xff);
  }
  return Uint8Array.from(out);
}
