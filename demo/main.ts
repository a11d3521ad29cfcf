import { demoConfigFromEnv, DemoConfigError } from './config.ts';
import { startDemo } from './server.ts';

/** Runs Demo Bank on its own, configured from the environment (see demo/README.md). */
try {
  const demo = await startDemo(demoConfigFromEnv());
  console.log(`Demo Bank is running at ${demo.url}`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof DemoConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('Demo Bank cannot start: its port is already in use. Set DEMO_PORT to a free port.');
    process.exit(69);
  }
  throw error;
}
