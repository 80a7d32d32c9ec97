// Test plugin with rules that misbehave on purpose, selected by a marker comment in the scanned file.
const marker = (context, word) => context.sourceText.includes(`# ${word}`);

export default {
  name: 'faulty',
  rules: {
    throws: {
      meta: { description: 'throws on files marked "# throw"', severity: 'warning' },
      create(context) {
        return {
          source_code() {
            if (marker(context, 'throw')) throw new Error('boom');
          },
        };
      },
    },
    hangs: {
      meta: { description: 'never returns on files marked "# hang"', severity: 'warning' },
      create(context) {
        return {
          source_code() {
            if (marker(context, 'hang')) for (;;);
          },
        };
      },
    },
    crashes: {
      meta: { description: 'kills its worker on files marked "# crash"', severity: 'warning' },
      create(context) {
        return {
          source_code() {
            if (marker(context, 'crash')) process.exit(7);
          },
        };
      },
    },
    reports: {
      meta: { description: 'reports every attrset', severity: 'info' },
      create(context) {
        return {
          attrset_expression(node) {
            context.report({ node, message: 'an attrset' });
          },
        };
      },
    },
  },
};
