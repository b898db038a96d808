/**
 * @jest-environment node
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { distPluginJson, requireBuild, srcPluginJson } from './built-plugin';

/**
 * The validator's `metadatavalid` rule: plugin.json against Grafana's plugin.schema.json (a copy
 * in this folder, see README.md), as the validator's gojsonschema runs it: every error, formats
 * (uri, email) checked.
 */
const schema = JSON.parse(readFileSync(path.join(__dirname, 'plugin.schema.json'), 'utf8')) as {
  $schema: string;
  properties: Record<string, unknown>;
};

// create-plugin's build adds `buildMode` to dist/plugin.json; Grafana's schema declares it (a
// string "set automatically at build time") in versions newer than this copy.
const NEWER_PROPERTIES = { buildMode: { type: 'string' } };

// The schema's patterns are Go regular expressions (`\-`), which a `u`-flag RegExp rejects; its
// `additionalItems` beside an `items` object is legal but trips ajv's strict mode.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile({ ...schema, properties: { ...schema.properties, ...NEWER_PROPERTIES } });

const errorsOf = (pluginJson: unknown) =>
  validate(pluginJson) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);

beforeAll(requireBuild);

it('is a draft-07 schema, which ajv’s default class implements', () => {
  expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema');
});

it('accepts src/plugin.json, placeholders and all', () => {
  expect(errorsOf(srcPluginJson())).toEqual([]);
});

it('accepts the built dist/plugin.json', () => {
  expect(errorsOf(distPluginJson())).toEqual([]);
});

it('rejects what Grafana would refuse: a bad id, a missing keyword list, an unknown field', () => {
  const { info, ...rest } = distPluginJson();
  const { keywords: _keywords, ...infoWithoutKeywords } = info;
  expect(errorsOf({ ...rest, id: 'PG Governor', info: infoWithoutKeywords, colour: 'blue' })).toEqual(
    expect.arrayContaining([
      '/ must NOT have additional properties',
      '/id must match pattern "^[0-9a-z]+\\-([0-9a-z]+\\-)?(app|panel|datasource|secretsmanager)$"',
      "/info must have required property 'keywords'",
    ]),
  );
});
