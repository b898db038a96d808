// Stands in for modules jsdom cannot load (stylesheets, ESM-only packages the plugin never renders).
module.exports = {};
