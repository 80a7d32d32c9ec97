import security from '../src/security/index.js';
import { describePluginRules } from './rule-harness.js';

describePluginRules(security);
