// Grafana's icons load their SVG asynchronously (state updates outside act()); tests need no icons.
module.exports = { __esModule: true, default: () => null };
