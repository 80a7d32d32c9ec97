// Baselines: findings recorded as accepted (`--write-baseline`) and filtered out (`--baseline`).
export { Baseline, type BaselineEntry, type BaselineFile } from './baseline.js';
