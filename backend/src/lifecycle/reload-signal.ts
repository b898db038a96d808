import { Logger } from 'pino';

/** SIGHUP: re-read what can change while running (targets_dir), as daemons do; the process goes on. */
export function reloadOnHangup(reload: () => void, log: Logger): void {
  process.on('SIGHUP', () => {
    log.info({ signal: 'SIGHUP' }, 're-reading the targets');
    try {
      reload();
    } catch (error) {
      log.error({ err: error }, 're-reading the targets failed');
    }
  });
}
