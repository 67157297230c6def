/** Writes deploy/generated.json, which serverless.yml reads: `npm run generate`. A test keeps it current. */
import { writeFile } from 'node:fs/promises';
import { generatedDeployment } from './generated.js';

await writeFile(
  new URL('./generated.json', import.meta.url),
  `${JSON.stringify(generatedDeployment(), null, 2)}\n`,
);
