import deadCode from '../src/dead-code/index.js';
import { describePluginRules } from './rule-harness.js';

describePluginRules(deadCode);
