import { Readable } from 'node:stream';
import type { AuthenticatorIo } from '../../src/authenticator/command-context.ts';

/** An in-process stand-in for the terminal: what main() printed, and scripted answers to prompts. */
export function memoryIo(options: { stdin?: string; answers?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const answers = options.answers;
  const io: AuthenticatorIo = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    env: options.env ?? {},
    stdin: Readable.from([options.stdin ?? '']),
    ask: answers
      ? async (question) => {
          questions.push(question);
          const answer = answers.shift();
          if (answer === undefined) throw new Error(`unexpected question: ${question}`);
          return answer;
        }
      : undefined,
  };
  return { io, out, err, questions, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}
