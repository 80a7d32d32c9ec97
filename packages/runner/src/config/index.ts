// nixforge.config.json: finding, reading and validating it, and loading the plugins it names.
export { loadConfiguredPlugins, importPlugin } from './load-plugins.js';
export { findConfigFile, type FailOn } from './config-file.js';
