/** A one-line progress display on stderr, only when stderr is a terminal; nothing is printed in CI logs. */
export interface Progress {
  tick(path: string): void;
  done(): void;
}

const SILENT: Progress = { tick: () => {}, done: () => {} };

/** `m:ss`, or `h:mm:ss` from an hour on. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * `[count/total] N files/s, ETA m:ss path`. The rate is the average since the start (files arrive in bursts as
 * batches finish, so a short window would jump); rate and ETA appear once a second has passed.
 */
export function formatProgressLine(count: number, total: number, elapsedMs: number, path: string, columns: number): string {
  let stats = '';
  if (elapsedMs >= 1000 && count > 0) {
    const rate = count / (elapsedMs / 1000);
    const eta = count < total ? `, ETA ${formatDuration((total - count) / rate)}` : '';
    stats = ` ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} files/s${eta}`;
  }
  const head = `[${count}/${total}]${stats} `;
  const width = Math.max(20, columns - head.length - 1);
  const shown = path.length > width ? `…${path.slice(-width + 1)}` : path;
  return `${head}${shown}`;
}

export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  total: number,
  enabled: boolean,
  now: () => number = Date.now,
): Progress {
  if (!enabled || !stream.isTTY || total === 0) return SILENT;
  let count = 0;
  let lastDraw = 0;
  const started = now();
  return {
    tick(path) {
      count += 1;
      const at = now();
      if (at - lastDraw < 100 && count < total) return;
      lastDraw = at;
      const columns = (stream as { columns?: number }).columns ?? 80;
      stream.write(`\r\x1b[K${formatProgressLine(count, total, at - started, path, columns)}`);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
