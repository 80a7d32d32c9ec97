import type { Reporter, ReporterFactory } from './reporter.js';
import { SummaryCounter } from './summary.js';

/**
 * `--quiet`: the report shows errors only (findings of level info and warning are left out, and its totals count
 * what is shown). The exit code, `--max-warnings`, events and the cache still see every finding.
 */
export function errorsOnly(factory: ReporterFactory): ReporterFactory {
  return (context) => {
    const inner: Reporter = factory(context);
    // The failure level does not matter here: `failing` is taken from the full summary.
    const counter = new SummaryCounter('never');
    return {
      begin: () => inner.begin(),
      file(report) {
        const shown = report.findings.every((f) => f.severity === 'error') ? report : { ...report, findings: report.findings.filter((f) => f.severity === 'error') };
        counter.add(shown);
        return inner.file(shown);
      },
      end(summary) {
        const shown = counter.result();
        return inner.end({ ...shown, failOn: summary.failOn, failing: summary.failing });
      },
    };
  };
}
