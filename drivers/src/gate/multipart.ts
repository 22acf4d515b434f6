/**
 * Incremental multipart/mixed reader for a never-ending HTTP body (RFC 2046
 * §5.1), the shape of ISAPI's alertStream. Chunks may split anywhere: inside
 * a delimiter, a header line or a CRLF. A part announces its length with
 * Content-Length (terminals do) or runs to the next delimiter (also accepted).
 * A part larger than the limit is skipped without being buffered and reported
 * once; parts the consumer does not want (face pictures) are skipped unread.
 */

export interface PartHeaders {
  contentType: string;
  contentLength: number | null;
  /** Lower-cased header names. */
  all: Record<string, string>;
}

export interface MultipartHandlers {
  /** Whether to buffer this part's body; false skips it (e.g. images). */
  want(headers: PartHeaders): boolean;
  part(headers: PartHeaders, body: Buffer): void;
  /** A part that could not be read (too large, bad headers); the stream goes on. */
  error(message: string): void;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 8192;

type State =
  | { s: 'seek' }
  | { s: 'headers' }
  | { s: 'body'; h: PartHeaders; keep: boolean; left: number | null; chunks: Buffer[]; size: number };

/** `boundary` from a Content-Type like `multipart/mixed; boundary=MIME_boundary`. */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]!) : null;
}

export class MultipartReader {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = { s: 'seek' };
  /** `--boundary`: the delimiter as it appears at the start of a line. */
  private readonly dash: Buffer;
  /** `\r\n--boundary`: how a delimiter ends a body that has no Content-Length. */
  private readonly crlfDash: Buffer;
  private closed = false;

  constructor(
    boundary: string,
    private readonly maxPartBytes: number,
    private readonly on: MultipartHandlers,
  ) {
    this.dash = Buffer.from(`--${boundary}`);
    this.crlfDash = Buffer.from(`\r\n--${boundary}`);
  }

  /** True after the closing delimiter `--boundary--`. */
  get done(): boolean {
    return this.closed;
  }

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.closed && this.step());
  }

  /** One state transition; false when more input is needed. */
  private step(): boolean {
    const st = this.state;
    if (st.s === 'seek') return this.seek();
    if (st.s === 'headers') return this.headers();
    return this.body(st);
  }

  private seek(): boolean {
    const i = this.buf.indexOf(this.dash);
    if (i < 0) {
      // Keep only what could be the start of a split delimiter.
      this.buf = this.buf.subarray(Math.max(0, this.buf.length - this.dash.length + 1));
      return false;
    }
    const after = i + this.dash.length;
    if (this.buf.length < after + 2) return false;
    if (this.buf[after] === 0x2d && this.buf[after + 1] === 0x2d) {
      this.closed = true;
      return false;
    }
    const eol = this.buf.indexOf(CRLF, after);
    if (eol < 0) {
      if (this.buf.length - after > 256) this.buf = this.buf.subarray(after);
      return false;
    }
    this.buf = this.buf.subarray(eol + 2);
    this.state = { s: 'headers' };
    return true;
  }

  private headers(): boolean {
    // A part with no headers at all starts with the blank line directly.
    if (this.buf.length >= 2 && this.buf[0] === 0x0d && this.buf[1] === 0x0a) return this.startBody('', 2);
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) {
        this.on.error(`part headers longer than ${MAX_HEADER_BYTES} bytes; skipped to the next part`);
        this.state = { s: 'seek' };
        return true;
      }
      return false;
    }
    return this.startBody(this.buf.subarray(0, end).toString('latin1'), end + 4);
  }

  private startBody(text: string, consumed: number): boolean {
    this.buf = this.buf.subarray(consumed);
    const all: Record<string, string> = {};
    for (const line of text.split('\r\n')) {
      const c = line.indexOf(':');
      if (c > 0) all[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
    const lenText = all['content-length'];
    const len = lenText !== undefined && /^\d{1,12}$/.test(lenText) ? Number(lenText) : null;
    const h: PartHeaders = { contentType: all['content-type'] ?? '', contentLength: len, all };
    let keep = this.on.want(h);
    if (keep && len !== null && len > this.maxPartBytes) {
      this.on.error(`part of ${len} bytes is larger than the ${this.maxPartBytes}-byte limit; skipped`);
      keep = false;
    }
    this.state = { s: 'body', h, keep, left: len, chunks: [], size: 0 };
    return true;
  }

  private body(st: Extract<State, { s: 'body' }>): boolean {
    if (st.left !== null) {
      const n = Math.min(st.left, this.buf.length);
      if (n > 0) this.take(st, this.buf.subarray(0, n));
      this.buf = this.buf.subarray(n);
      st.left -= n;
      if (st.left > 0) return false;
      this.finish(st);
      return true;
    }
    // No length: the body runs to the next CRLF--boundary.
    const i = this.buf.indexOf(this.crlfDash);
    if (i < 0) {
      const safe = Math.max(0, this.buf.length - this.crlfDash.length + 1);
      if (safe > 0) this.take(st, this.buf.subarray(0, safe));
      this.buf = this.buf.subarray(safe);
      return false;
    }
    this.take(st, this.buf.subarray(0, i));
    this.buf = this.buf.subarray(i + 2);
    this.finish(st);
    return true;
  }

  private take(st: Extract<State, { s: 'body' }>, piece: Buffer): void {
    st.size += piece.length;
    if (!st.keep) return;
    if (st.size > this.maxPartBytes) {
      this.on.error(`part larger than the ${this.maxPartBytes}-byte limit; skipped`);
      st.keep = false;
      st.chunks = [];
      return;
    }
    // Copy: the slice would otherwise pin the whole receive buffer.
    st.chunks.push(Buffer.from(piece));
  }

  private finish(st: Extract<State, { s: 'body' }>): void {
    if (st.keep) this.on.part(st.h, Buffer.concat(st.chunks));
    this.state = { s: 'seek' };
  }
}
