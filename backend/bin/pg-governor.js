#!/usr/bin/env node
// Installed command: runs the compiled service (build with `npm run build`).
require('../dist/main.js');
