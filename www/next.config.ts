import type { NextConfig } from 'next';
import path from 'node:path';

// `@onelastai/models` is a `file:../pkg` dependency (a symlink): Turbopack
// must be allowed to resolve files above www/.
const config: NextConfig = {
  turbopack: { root: path.join(__dirname, '..') },
  outputFileTracingRoot: path.join(__dirname, '..'),
  // The webpack smoke test builds into its own directory next to the Turbopack build.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
