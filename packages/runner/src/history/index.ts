export { runHistory, type HistoryRun, type HistoryRunOptions } from './run-history.js';
export { parseFlakeLock, diffFlakeLocks, type FlakeInputChange, type LockedRevision, type LockedInputs } from './flake-lock.js';
export type { FileChange, HistoryEntry, HistoryProblem } from './collect.js';
export type { NixFilesChangedData, FlakeLockUpdatedData } from './history-events.js';
export type { HistoryReport, InputReport, ChangeCount } from './report.js';
export { FileCursorStore, openKvCursorStore, STATE_FILE, type HistoryCursorStore } from './state.js';
export { flakeLockUpdatedData, nixFilesChangedData } from './history-events.js';
export { formatEntry, formatReport } from './text-format.js';
