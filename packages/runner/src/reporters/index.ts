export { BUILT_IN_FORMATS, REPORT_FORMATS, DEFAULT_FORMAT, formatFlagHelp, isFormatterPath, loadReportFormat, reporterFor, type ReportOptions } from './registry.js';
export * from './reporter.js';
export * from './summary.js';
export { publicFileReport, publicFinding } from './public-report.js';
export { RuleTally, formatTopRules, TOP_RULES, type RuleCount } from './top-rules.js';
export { wantsColor, stylesFor, type Styles } from './colors.js';
