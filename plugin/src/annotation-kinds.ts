/** Event kinds the backend's /annotations accepts (backend/src/api/annotations.ts). */
export const ANNOTATION_KINDS = [
  { value: 'interventions', label: 'Interventions and governor decisions' },
  { value: 'intervention', label: 'Interventions' },
  { value: 'governor_decision', label: 'Governor decisions' },
  { value: 'alerts', label: 'Alert transitions (backend and Grafana)' },
  { value: 'alert', label: 'Backend alert transitions' },
  { value: 'grafana_alert', label: 'Grafana webhook alerts' },
  { value: 'settings_drift', label: 'Settings drift' },
  { value: 'target_state', label: 'Target up/down' },
];
