// Test plugin for the hardening suite: rules that misbehave on purpose, selected by a marker comment.
import { unlinkSync } from 'node:fs';

const marker = (context, word) => context.sourceText.includes(`# ${word}`);

export default {
  name: 'hostile',
  rules: {
    'native-spin': {
      meta: { description: 'never returns, walking the syntax tree all the time, on files marked "# native-spin"', severity: 'warning' },
      create(context) {
        return {
          source_code(node) {
            if (!marker(context, 'native-spin')) return;
            for (;;) {
              const cursor = node.walk();
              while (cursor.gotoFirstChild() || cursor.gotoNextSibling());
              void node.descendantCount;
            }
          },
        };
      },
    },
    'eats-memory': {
      meta: { description: 'allocates without end on files marked "# eat-memory"', severity: 'warning' },
      create(context) {
        return {
          source_code() {
            if (!marker(context, 'eat-memory')) return;
            const hoard = [];
            for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
          },
        };
      },
    },
    'deletes-file': {
      meta: { description: 'deletes the file named in a "# delete PATH" comment (a file removed after discovery)', severity: 'warning' },
      create(context) {
        return {
          source_code() {
            const match = /# delete (\S+)/.exec(context.sourceText);
            if (match) unlinkSync(match[1]);
          },
        };
      },
    },
    'reports-files': {
      meta: { description: 'one finding per analysed file, so a test can tell which files the rules ran on', severity: 'info' },
      create(context) {
        return {
          source_code(node) {
            context.report({ node, message: 'analysed' });
          },
        };
      },
    },
  },
};
