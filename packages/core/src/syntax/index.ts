export { field, childOfType, unparen, textOf, rangeOf, operatorOf, captured } from './nodes.js';
export { stringValue, literalString, literalPath, type StringValue } from './strings.js';
export { attrName, attrPathNames, bindingsOf, attrsetBindings, hasAttribute, attributeValue, type StaticBinding } from './attrsets.js';
export { variableName, referencePath, lastName, isBoolean, callAt, type Call } from './calls.js';
