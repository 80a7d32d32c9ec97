import { definePlugin } from '@nixforge/core';

export default definePlugin({
  name: 'lint',
  rules: {},
});
