import { fork } from 'node:child_process';

/**
 * Starts `script` (relative to this folder) as a child process that talks over IPC. `next(type)`
 * resolves with the child's next message of that type and rejects if the child dies first, so
 * a crashed server breaks the benchmark instead of hanging it.
 */
export function startChild(script, args = [], execArgv = []) {
  const child = fork(new URL(script, import.meta.url), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv,
  });
  const inbox = [];
  const waiting = [];
  let exit = null;
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      exit = new Error(`${script} exited (code ${code}, signal ${signal})`);
      for (const w of waiting.splice(0)) w.reject(exit);
      resolve(code);
    }),
  );
  child.on('message', (message) => {
    const i = waiting.findIndex((w) => w.type === message.type);
    if (i === -1) inbox.push(message);
    else waiting.splice(i, 1)[0].resolve(message);
  });
  return {
    pid: child.pid,
    send: (message) => child.send(message),
    next(type) {
      const i = inbox.findIndex((m) => m.type === type);
      if (i !== -1) return Promise.resolve(inbox.splice(i, 1)[0]);
      if (exit) return Promise.reject(exit);
      return new Promise((resolve, reject) => waiting.push({ type, resolve, reject }));
    },
    /** Resolves with the exit code; rejects if the child ends with one other than 0. */
    async finished() {
      const code = await exited;
      if (code !== 0) throw exit;
    },
    kill: () => child.kill('SIGKILL'),
  };
}
