// Applying rule fixes to files and text.
export { fixText, fixFile, type FixedFile } from './fix-files.js';
