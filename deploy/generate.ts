/**
 * Writes deploy/generated.json, which serverless.yml reads, and resources/member-role.yml, the member
 * accounts' role: `npm run generate`. Tests keep both current.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { generatedDeployment } from './generated.js';
import { memberRoleYaml } from './member-role.js';

await writeFile(
  new URL('./generated.json', import.meta.url),
  `${JSON.stringify(generatedDeployment(), null, 2)}\n`,
);
await mkdir(new URL('../resources/', import.meta.url), { recursive: true });
await writeFile(new URL('../resources/member-role.yml', import.meta.url), memberRoleYaml());
