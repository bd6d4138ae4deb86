// Mesa's EGL reads EGL_PLATFORM from the real environment, which a test file's process.env (jest's copy)
// does not reach: headless, the webgpu engine's software fallback (llvmpipe) needs it set before the workers start.
if (process.env.EGL_PLATFORM === undefined && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) process.env.EGL_PLATFORM = 'surfaceless';

module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: require('./package.json').name,
};
