// Applying rule fixes to files and text.
export { fixText, fixFiles, type FixFilesResult } from './fix-files.js';
