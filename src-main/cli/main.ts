import { APP_NAME } from '../app-identity.js';
import { createSafeStorageCompat } from '../safe-storage-compat/index.js';
import { processIo } from './io.js';
import { runCli } from './program.js';

const os = createSafeStorageCompat({ applicationName: APP_NAME });
process.exitCode = await runCli(process.argv.slice(2), processIo(), os);
