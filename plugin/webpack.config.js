// The create-plugin style build: one AMD module (dist/module.js) that Grafana loads with its own
// React, @grafana/* and rxjs (externals), plus the files Grafana reads next to it.
const { Buffer } = require('node:buffer');
const fs = require('node:fs');
const path = require('node:path');
const { version } = require('./package.json');

/** Libraries Grafana provides to plugins at run time; bundling them would break (two Reacts). */
const EXTERNALS = [
  'react',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'lodash',
  'jquery',
  'moment',
  'slate',
  'slate-plain-serializer',
  'prismjs',
  'd3',
  'angular',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'react-router',
  'react-router-dom',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/data',
];

/** Files copied into dist/; text ones get %VERSION% and %TODAY% replaced. */
const ASSETS = [
  { from: 'src/plugin.json', to: 'plugin.json', substitute: true },
  { from: 'src/img/logo.svg', to: 'img/logo.svg' },
  { from: 'README.md', to: 'README.md', substitute: true },
  { from: 'CHANGELOG.md', to: 'CHANGELOG.md' },
  { from: 'LICENSE', to: 'LICENSE' },
];

class PluginAssets {
  apply(compiler) {
    const { RawSource } = compiler.webpack.sources;
    compiler.hooks.thisCompilation.tap('PluginAssets', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'PluginAssets', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          const today = new Date().toISOString().slice(0, 10);
          for (const asset of ASSETS) {
            const file = path.resolve(__dirname, asset.from);
            compilation.fileDependencies.add(file);
            let content = fs.readFileSync(file);
            if (asset.substitute)
              content = Buffer.from(
                content.toString('utf8').replaceAll('%VERSION%', version).replaceAll('%TODAY%', today),
              );
            compilation.emitAsset(asset.to, new RawSource(content));
          }
        },
      );
    });
  }
}

module.exports = (env = {}) => ({
  mode: env.production ? 'production' : 'development',
  context: __dirname,
  entry: { module: './src/module.ts' },
  devtool: env.production ? 'source-map' : 'eval-source-map',
  target: 'web',
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: '[name].js',
    library: { type: 'amd' },
    publicPath: 'public/plugins/pggovernor-postgres-datasource/',
    uniqueName: 'pggovernor-postgres-datasource',
    clean: true,
  },
  externals: EXTERNALS,
  resolve: { extensions: ['.ts', '.tsx', '.js'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'ts-loader',
          options: {
            transpileOnly: true,
            configFile: path.resolve(__dirname, 'tsconfig.json'),
            compilerOptions: { noEmit: false, sourceMap: true },
          },
        },
      },
    ],
  },
  plugins: [new PluginAssets()],
  performance: { hints: false },
});
