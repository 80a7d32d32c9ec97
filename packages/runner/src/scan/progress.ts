/** A one-line progress display on stderr, only when stderr is a terminal; nothing is printed in CI logs. */
export interface Progress {
  tick(path: string): void;
  done(): void;
}

const SILENT: Progress = { tick: () => {}, done: () => {} };

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY || total === 0) return SILENT;
  let count = 0;
  let lastDraw = 0;
  return {
    tick(path) {
      count += 1;
      const now = Date.now();
      if (now - lastDraw < 100 && count < total) return;
      lastDraw = now;
      const width = Math.max(20, ((stream as { columns?: number }).columns ?? 80) - 20);
      const shown = path.length > width ? `…${path.slice(-width + 1)}` : path;
      stream.write(`\r\x1b[K[${count}/${total}] ${shown}`);
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
