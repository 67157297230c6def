/** `eks-scan checks`: the catalogue with severities, parameters and defaults. */
import { parseArgs } from 'node:util';
import { catalogue } from '../../lib/checks/catalogue.js';
import { type CommandIo, chooseFormat } from '../io.js';
import { renderTable } from '../table.js';

/** The table fits a 120-column terminal. */
const TERMINAL_WIDTH = 120;

export function checksCommand(args: readonly string[], io: CommandIo): number {
  const { values } = parseArgs({ args: [...args], options: { format: { type: 'string' } }, strict: true });
  const format = chooseFormat(values.format, ['table', 'json'], io);
  const entries = catalogue();
  if (format === 'json') {
    io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
    return 0;
  }
  const rows = entries.map((entry) => {
    const parameters = Object.entries(entry.parameters).map(
      ([name, parameter]) => `${name}=${parameter.default}`,
    );
    return [
      entry.id,
      entry.severities.join('/'),
      entry.resource.scope,
      parameters.length === 0 ? entry.title : `${entry.title}\n  default: ${parameters.join(' ')}`,
    ];
  });
  io.stdout(
    `${renderTable(['CHECK', 'SEVERITY', 'RESOURCE', 'TITLE (parameter defaults)'], rows, TERMINAL_WIDTH)}\n`,
  );
  io.stdout(
    `\n${entries.length} checks. \`eks-scan checks --format json\` gives risks, remediation, IAM and mappings.\n`,
  );
  return 0;
}
