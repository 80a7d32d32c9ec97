// Test plugin for the distributed-scan faults, selected by a marker comment in the scanned file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const marker = (context, word) => context.sourceText.includes(`# ${word}`);

export default {
  name: 'distributed-test',
  rules: {
    slow: {
      meta: { description: 'takes a while on files marked "# slow", leaving a note in NIXFORGE_TEST_NOTES', severity: 'info' },
      create(context) {
        return {
          source_code(node) {
            if (!marker(context, 'slow')) return;
            const notes = process.env.NIXFORGE_TEST_NOTES;
            if (notes) writeFileSync(join(notes, `busy-${process.pid}`), context.filename);
            const until = Date.now() + Number(process.env.NIXFORGE_TEST_SLOW_MS ?? 150);
            while (Date.now() < until);
            context.report({ node, message: 'slow file analysed' });
          },
        };
      },
    },
    'kills-process': {
      meta: { description: 'kills the whole worker process on files marked "# kill-worker"', severity: 'warning' },
      create(context) {
        return {
          source_code() {
            if (marker(context, 'kill-worker')) process.kill(process.pid, 'SIGKILL');
          },
        };
      },
    },
  },
};
