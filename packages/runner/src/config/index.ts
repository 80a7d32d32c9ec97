// nixforge.config.json: finding, reading and validating it, and loading the plugins it names.
export { loadConfiguredPlugins, importPlugin } from './load-plugins.js';
export { findConfigFile, CONFIG_FILE_NAME, type FailOn } from './config-file.js';
