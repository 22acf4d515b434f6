import { dlt645 } from '@linli/drivers';
import type { RawLine } from './raw-line.js';

export interface Dlt645SearchResult {
  addresses: string[];
  /** `broadcast`: one meter answered the all-wildcard read; `wildcard-search`: several did and were told apart. */
  method: 'none' | 'broadcast' | 'wildcard-search';
  probes: number;
  /** Address patterns where two meters still collided with nothing left to narrow (duplicate addresses). */
  conflicts: string[];
}

type Heard = { kind: 'none' } | { kind: 'one'; address: string } | { kind: 'collision' };

/** What a read-address request brought back: silence, one clean reply, or a garble of several. */
export function classify(bytes: Buffer): Heard {
  if (!bytes.length) return { kind: 'none' };
  let rest: Uint8Array = bytes;
  const replies: string[] = [];
  let garbage = false;
  while (rest.length) {
    const r = dlt645.decodeFrame(rest);
    if (r.ok) {
      rest = rest.subarray(r.consumed);
      // Some RS-485 adapters echo what we sent; our own request is not an answer.
      if (r.value.control.direction !== 'reply') continue;
      const a = dlt645.parseAddressReply(r.value);
      if (a.ok) replies.push(a.value);
      else garbage = true;
      continue;
    }
    if (r.error.kind === 'incomplete') {
      // Wake-up bytes alone are not a reply; anything else cut short is.
      if (rest.some((b) => b !== dlt645.PREAMBLE)) garbage = true;
      break;
    }
    garbage = true;
    rest = rest.subarray(r.error.skip);
  }
  if (!garbage && replies.length === 1) return { kind: 'one', address: replies[0]! };
  return { kind: 'collision' };
}

/**
 * Finds every DL/T 645 meter on a shared line. First the all-wildcard read
 * address (AAAAAAAAAAAA): one clean reply is the only meter. When several
 * answer, their replies collide; the standard's wildcard byte (AA) then lets
 * us fix one address byte at a time — the last two nameplate digits first,
 * since meters in one building usually differ there — and descend only into
 * the values where something answers. Every address found is confirmed by a
 * direct read (no wildcards), so a garble that happens to frame correctly
 * never becomes a phantom meter.
 */
export async function searchDlt645(
  line: RawLine,
  opts: { listenMs: number; settleMs: number; progress: (msg: string) => void },
): Promise<Dlt645SearchResult> {
  let probes = 0;
  const found = new Set<string>();
  const conflicts: string[] = [];
  const ask = async (pattern: string): Promise<Heard> => {
    probes += 1;
    const request = dlt645.encodeFrame({ address: pattern, control: dlt645.FUNCTION.readAddress }, { preamble: true });
    return classify(await line.exchange(request, opts.listenMs, opts.settleMs));
  };
  const explore = async (pattern: string): Promise<void> => {
    const heard = await ask(pattern);
    if (heard.kind === 'none') return;
    if (heard.kind === 'one') {
      if (pattern === heard.address || (await ask(heard.address)).kind === 'one') {
        if (!found.has(heard.address)) opts.progress(`  dlt645: meter ${heard.address}`);
        found.add(heard.address);
        return;
      }
    }
    // Several answer: fix the lowest wildcard byte (rightmost "AA" pair) to each BCD value in turn.
    const at = pattern.lastIndexOf('AA');
    const pairStart = at - (at % 2);
    if (at < 0 || pattern.slice(pairStart, pairStart + 2) !== 'AA') {
      conflicts.push(pattern);
      opts.progress(`  dlt645: several meters share address ${pattern}; check their nameplates`);
      return;
    }
    opts.progress(`  dlt645: several meters answer ${pattern}; narrowing digits ${pairStart + 1}–${pairStart + 2} …`);
    for (let v = 0; v < 100; v++) {
      await explore(pattern.slice(0, pairStart) + String(v).padStart(2, '0') + pattern.slice(pairStart + 2));
      if (v % 25 === 24)
        opts.progress(
          `  dlt645: ${v + 1}/100 values of digits ${pairStart + 1}–${pairStart + 2} tried (${probes} probes)`,
        );
    }
  };
  await explore(dlt645.WILDCARD_ADDRESS);
  const addresses = [...found].sort();
  const method = probes <= 2 ? (addresses.length ? 'broadcast' : 'none') : 'wildcard-search';
  return { addresses, method, probes, conflicts };
}
