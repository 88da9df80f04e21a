// The /api/v1/rules answer (Prometheus's format), as the alerts and rules pages read it.
import type { Labels } from '../api.ts';

export interface RuleAlert {
  labels: Labels;
  annotations: Labels;
  state: 'firing' | 'pending' | 'inactive';
  activeAt: string;
  keepFiringSince?: string;
  value: string;
}

export interface Rule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  labels?: Labels;
  annotations?: Labels;
  duration?: number;
  keepFiringFor?: number;
  state?: 'firing' | 'pending' | 'inactive';
  alerts?: RuleAlert[];
  health: string;
  lastError?: string;
  lastEvaluation: string;
  evaluationTime: number;
}

export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: Rule[];
  lastEvaluation: string;
  evaluationTime: number;
}
