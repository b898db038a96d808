// The browser test's host page bundle: React and @grafana/* from node_modules (what Grafana
// provides at run time), plus the harness that loads the built dist/module.js next to it.
// TypeScript through swc-loader, as the plugin's own build (.config/webpack/webpack.config.ts).
module.exports = (outputPath) => ({
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: { harness: './harness.tsx' },
  target: 'web',
  output: { path: outputPath, filename: '[name].js' },
  resolve: { extensions: ['.ts', '.tsx', '.mjs', '.js'] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: { jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true } } },
        },
      },
      // Some of @grafana/ui's dependencies import stylesheets; the page needs none of them.
      { test: /\.css$/, type: 'asset/source' },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
    ],
  },
  performance: { hints: false },
  infrastructureLogging: { level: 'error' },
});
