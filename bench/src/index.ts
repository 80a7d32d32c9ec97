export type { Suite, SuiteOptions, SuiteResult } from './suite.js';
export { runBench, machineInfo, type BenchRunOptions, type MachineInfo } from './cli.js';
export { loadSuites } from './load-suites.js';
export { checkTargets, formatTable, type TargetCheck } from './report.js';
export { renderChart } from './chart.js';
export { buildFloor, runFloor, type FloorResult } from './c-floor.js';
export { benchCorpus, listNixFiles, type BenchCorpus, type CorpusFile } from './corpus.js';
