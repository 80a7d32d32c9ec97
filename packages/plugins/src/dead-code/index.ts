import { definePlugin } from '@nixforge/core';

export default definePlugin({
  name: 'dead-code',
  rules: {},
});
