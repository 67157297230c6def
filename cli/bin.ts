/** The `eks-scan` executable: what `npm run build` bundles into dist/eks-scan.cjs. */
import { processIo, run } from './main.js';

run(process.argv.slice(2), processIo).then((status) => {
  process.exitCode = status;
});
