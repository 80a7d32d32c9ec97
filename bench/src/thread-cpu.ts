import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of this process split by thread, from Linux's /proc/self/task: the main thread, the threads that
 * already ran when sampling started (the runtime's own: V8's platform workers doing concurrent compilation and
 * garbage collection), and the threads started later (scan workers, libuv's file-system pool).
 */
export interface ThreadCpuMs {
  main: number;
  runtime: number;
  started: number;
}

const TICKS_PER_SECOND = 100;

function threadCpuTicks(tid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the parenthesised name: state is field 3, utime 14 and stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Samples every thread's CPU time until `stop()`. A thread's last sample stands for its total, so a thread that
 * exits loses at most one interval; undefined where /proc is not there.
 */
export function sampleThreadCpu(intervalMs = 50): { stop(): ThreadCpuMs } | undefined {
  let initial: string[];
  try {
    initial = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const atStart = new Set(initial);
  const last = new Map<string, number>();
  const sample = (): void => {
    for (const tid of readdirSync('/proc/self/task')) {
      const ticks = threadCpuTicks(tid);
      if (ticks !== undefined) last.set(tid, ticks);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop(): ThreadCpuMs {
      clearInterval(timer);
      sample();
      const totals: ThreadCpuMs = { main: 0, runtime: 0, started: 0 };
      const ms = (ticks: number): number => (ticks * 1000) / TICKS_PER_SECOND;
      for (const [tid, ticks] of last) {
        if (tid === String(process.pid)) totals.main += ms(ticks);
        else if (atStart.has(tid)) totals.runtime += ms(ticks);
        else totals.started += ms(ticks);
      }
      return totals;
    },
  };
}
