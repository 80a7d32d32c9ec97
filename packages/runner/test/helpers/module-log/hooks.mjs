import { appendFileSync } from 'node:fs';

let logFile;

export function initialize(data) {
  logFile = data;
}

export async function load(url, context, nextLoad) {
  if (logFile) appendFileSync(logFile, `${url}\n`);
  return nextLoad(url, context);
}
