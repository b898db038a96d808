import { importCycles, importGraph, readSources } from './testing/import-graph';
import { isRuntimeOrBuildFile, layerViolations } from './testing/layers';

/**
 * The one-way architecture of ../shared/ARCHITECTURE.md, checked on the code itself: every import
 * of backend/src (tests and their helpers aside) points down the layers, and no files import one
 * another in a circle.
 */
const graph = importGraph(readSources(__dirname, isRuntimeOrBuildFile));

it('reads the whole backend', () => {
  expect(graph.size).toBeGreaterThan(200);
  expect(graph.get('app.ts')).toContain('config/schema.ts');
});

it('imports only down the layers, never build-time code from the service', () => {
  expect(layerViolations(graph)).toEqual([]);
});

it('has no import cycle between files', () => {
  const cycles = importCycles(graph).map(({ files, loop }) => `${files.join(', ')} (${loop.join(' -> ')})`);
  expect(cycles).toEqual([]);
});
