// serverless-esbuild loads its plugins with require(); the plugins are TypeScript (deploy/sdk-schema-keys.ts).
module.exports = require('tsx/cjs/api').require('./sdk-schema-keys.ts', __filename).bundlePlugins;
