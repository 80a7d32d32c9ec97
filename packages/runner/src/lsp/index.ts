// The language server.
export { NixforgeLanguageServer } from './server.js';
