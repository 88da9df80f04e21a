// Public surface of the root's global rule evaluation.
export { GlobalRules, type GlobalRulesOptions, type GlobalZone } from './global-rules.ts';
