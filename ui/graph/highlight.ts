// PromQL token colours for the editor (lezer-promql's tags: metric names are variableName,
// functions function(variableName), aggregations operatorKeyword, by/without/offset modifier).
import { HighlightStyle } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';

export const promqlHighlight = HighlightStyle.define([
  { tag: t.variableName, color: '#1d4f91' },
  { tag: t.function(t.variableName), color: '#8a3ffc' },
  { tag: t.operatorKeyword, color: '#b4451f', fontWeight: '600' },
  { tag: t.modifier, color: '#b4451f' },
  { tag: t.labelName, color: '#7a5d00' },
  { tag: t.string, color: '#2c6e49' },
  { tag: t.number, color: '#0b7285' },
  { tag: [t.operator, t.logicOperator, t.arithmeticOperator], color: '#a61e4d' },
  { tag: t.comment, color: '#6b7480', fontStyle: 'italic' },
  { tag: t.invalid, color: '#b42318', textDecoration: 'underline wavy' },
]);
